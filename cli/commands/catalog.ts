// `dstack catalog update`: check the clouds' price APIs and say which prices are in use. Offline (the
// usual case for this tool's CI and this machine) it keeps the bundled catalog and says so, exit 0.
import { loadCatalog, pricesTaken } from "../../src/catalog/load.js";
import { PRICE_SOURCES, redirectSources } from "../../src/catalog/price-sources.js";
import { probeSources, type UpdateReport } from "../../src/catalog/update.js";
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
  // DSTACK_PRICE_API_URL sends every request to one server instead: a mirror, or a test's dead port.
  const base = ctx.env.DSTACK_PRICE_API_URL;
  const sources = base === undefined || base === "" ? PRICE_SOURCES : redirectSources(PRICE_SOURCES, base);
  if (values.json !== true) ctx.out.error(`Checking ${sources.length} price APIs (up to ${timeoutS}s)...`);
  const results = await probeSources(sources, { timeoutMs: timeoutS * 1000, signal: ctx.signal });
  const report: UpdateReport = { prices_taken: pricesTaken(loadCatalog()), updated: false, sources: results };
  if (values.json === true) {
    ctx.out.json(report);
    return 0;
  }
  for (const r of results)
    ctx.out.print(`  ${r.backend.padEnd(5)}  ${r.reachable ? "reachable" : "unreachable"} (${r.detail})`);
  const reachable = results.filter((r) => r.reachable).map((r) => r.backend);
  ctx.out.print(
    reachable.length === 0
      ? `Offline: no price API answered. Keeping the bundled catalog, prices taken ${report.prices_taken}.`
      : `Reachable: ${reachable.join(", ")}, but refreshing prices from them is not implemented yet. ` +
          `Keeping the bundled catalog, prices taken ${report.prices_taken}.`,
  );
  return 0;
}
