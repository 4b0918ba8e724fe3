// `dstack catalog update`: refresh Azure's prices into the user's cache (~/.dstack/catalog) when its
// Retail Prices API answers, check AWS's and GCP's APIs (their refresh is not implemented: the bundled
// prices stay), and say which prices are in use. Offline (the usual case for this tool's CI and this
// machine) it keeps the catalog in use and says so, exit 0.
import { CLOUD_BACKENDS } from "../../src/catalog/data-format.js";
import { updateCatalog, type SourceUpdate, type UpdateReport } from "../../src/catalog/update.js";
import { usageError } from "../../src/errors.js";
import type { CommandContext, Values } from "../command.js";

const DEFAULT_TIMEOUT_S = 5;

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length !== 1 || positionals[0] !== "update")
    throw usageError(
      positionals.length === 0 ? "missing subcommand" : `unknown subcommand "${positionals.join(" ")}"`,
      "run dstack catalog update",
    );
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw usageError(`--timeout: "${String(values.timeout)}" is not a positive number of seconds`);
  if (values.json !== true)
    ctx.out.error(`Checking ${CLOUD_BACKENDS.length} price APIs (up to ${timeoutS}s per request)...`);
  const report = await updateCatalog({
    home: ctx.home,
    timeoutMs: timeoutS * 1000,
    // DSTACK_PRICE_API_URL sends every request to one server instead: a mirror, or a test's server.
    base: ctx.env.DSTACK_PRICE_API_URL,
    signal: ctx.signal,
  });
  if (values.json === true) ctx.out.json(report);
  else ctx.out.print(describe(report));
  return 0;
}

function describe(report: UpdateReport): string {
  const lines = report.sources.map((s) => `  ${s.backend.padEnd(5)}  ${sourceLine(s, report)}`);
  for (const r of report.refreshed) {
    lines.push(
      `Refreshed ${r.backend} prices, taken ${r.prices_taken}: ${r.updated} rows updated, ${r.added} added, ` +
        `saved to ${r.path}`,
    );
    for (const [region, n] of Object.entries(r.regions))
      lines.push(`  ${region.padEnd(16)} ${String(n).padStart(3)} row${n === 1 ? "" : "s"}`);
    if (!r.in_use)
      lines.push(`  note: the bundled ${r.backend} prices are as new, so the bundled file stays in use`);
  }
  const cached = report.in_use.filter((c) => c.cached).map((c) => c.backend);
  const kept =
    cached.length === 0
      ? "the bundled catalog"
      : `the catalog in use (refreshed ${cached.join(", ")} prices from ~/.dstack/catalog)`;
  if (report.sources.every((s) => !s.reachable))
    lines.push(`Offline: no price API answered. Keeping ${kept}, prices taken ${report.prices_taken}.`);
  else if (report.refreshed.length === 0)
    lines.push(`No prices refreshed. Keeping ${kept}, prices taken ${report.prices_taken}.`);
  return lines.join("\n");
}

function sourceLine(s: SourceUpdate, report: UpdateReport): string {
  const answer = `${s.reachable ? "reachable" : "unreachable"} (${s.detail})`;
  const use = report.in_use.find((c) => c.backend === s.backend);
  const kept =
    use === undefined || !use.cached
      ? `keeping bundled prices (taken ${use?.prices_taken ?? "?"})`
      : `keeping the refreshed prices taken ${use.prices_taken}`;
  switch (s.refresh) {
    case "refreshed":
      return `${answer}: prices refreshed`;
    case "failed":
      return `${answer}: refresh failed (${s.refresh_error ?? "no reason"}); ${kept}`;
    case "not_implemented":
      return `${answer}: refresh not implemented: ${kept}`;
    case "offline":
      return `${answer}: ${kept}`;
  }
}
