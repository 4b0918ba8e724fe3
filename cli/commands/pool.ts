// `dstack pool add | list | ps | remove | create | delete | set-default` (dstack 0.16 pools, seed 003):
// the named pools (default-pool, the created ones, one per fleet) and their instances, an instance added
// in advance, and the removal of one through its stack (refused while its agent reports an active run,
// unless --force).
import { sharedRecords } from "../../src/home/members.js";
import { closest } from "../../src/compiler/suggest.js";
import { formatDuration } from "../../src/compiler/grammar/units.js";
import { UserError, usageError } from "../../src/errors.js";
import { activeRuns } from "../../src/pools/active-runs.js";
import {
  createPool,
  deletePool,
  namedPools,
  poolForNewInstances,
  requirePool,
  setDefaultPool,
} from "../../src/pools/named-pools.js";
import { listPools } from "../../src/pools/pool-store.js";
import { instanceRows, poolSummary, type InstanceRow } from "../../src/pools/pool-view.js";
import { formatCost, formatPrice, textTable } from "../../src/text-table.js";
import { formatAge } from "../../src/toolkit/run-status.js";
import type { CommandContext, Values } from "../command.js";
import { toolkitFor } from "../toolkit.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { offersTable } from "./offer-render.js";
import { addedJson, dryRunJson } from "./pool-cost-render.js";
import { compileFlagTask } from "./offer-spec.js";

const POOL_ADD_SOURCE = "dstack pool add";

const SUBCOMMANDS = ["add", "list", "ps", "remove", "create", "delete", "set-default"];
const SHOWN_OFFERS = 5;

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  const [sub, ...rest] = positionals;
  switch (sub) {
    case "add":
      return add(ctx, values, rest);
    case "list":
      // Like every listing: what a killed dstack left, or instances that stopped themselves, first.
      await toolkitFor(ctx).recover();
      return list(ctx, values);
    case "ps":
      await toolkitFor(ctx).recover();
      return ps(ctx, values);
    case "remove":
      return remove(ctx, values, rest);
    case "create":
      return create(ctx, values, rest);
    case "delete":
      return deleteCommand(ctx, values, rest);
    case "set-default":
      return setDefault(ctx, values, rest);
    default: {
      const near = sub === undefined ? undefined : closest(sub, SUBCOMMANDS);
      throw usageError(
        sub === undefined ? "missing subcommand" : `unknown subcommand "${sub}"`,
        near === undefined ? `use one of: ${SUBCOMMANDS.join(", ")}` : `did you mean "${near}"?`,
      );
    }
  }
}

async function add(ctx: CommandContext, values: Values, extra: string[]): Promise<number> {
  if (extra.length > 0) throw usageError(`unexpected "${extra.join(" ")}"`, "pool add takes flags only");
  const result = compileFlagTask(ctx, values, POOL_ADD_SOURCE, []);
  if (result.spec?.type !== "task") return 1;
  const outcome = await toolkitFor(ctx).addInstance({
    spec: result.spec,
    ...(typeof values.name === "string" ? { name: values.name } : {}),
    // The pool's default (72h) unless --idle-duration says otherwise.
    idleDuration: values["idle-duration"] === undefined ? undefined : result.spec.idle_duration,
    dryRun: values["dry-run"] === true,
    tuning: provisionTuning(ctx.env),
    renderOffers: (matched) => offersTable(matched.slice(0, SHOWN_OFFERS), matched),
  });
  if (outcome.kind === "dry-run") {
    if (values.json === true) ctx.out.json(dryRunJson(outcome));
    else ctx.out.error("Dry run: nothing was changed.");
  }
  if (outcome.kind === "added") {
    const i = outcome.instance;
    const pool = poolForNewInstances(ctx.home, result.spec.pool_name);
    if (values.json === true) {
      const json = addedJson(outcome);
      ctx.out.json({ ...json, instance: { ...(json.instance as object), pool_name: pool } });
    } else
      ctx.out.print(
        `Added instance ${i.name} to pool ${pool} (${i.host}:${i.port}); it is idle until a run takes it.`,
      );
  }
  return 0;
}

function list(ctx: CommandContext, values: Values): number {
  const now = Date.now();
  const pools = namedPools(ctx.home).map((p) => poolSummary(p, now));
  if (values.json === true) {
    ctx.out.json({ pools });
    return 0;
  }
  const verbose = values.verbose === true;
  const rows = pools.map((p) => [
    p.name,
    p.default ? "yes" : "",
    p.kind,
    `${p.available}/${p.total}`,
    ...(verbose
      ? [
          p.created_at === null ? "-" : `${formatAge((now - Date.parse(p.created_at)) / 1000)} ago`,
          p.where.join(", ") || "-",
        ]
      : []),
  ]);
  const head = [
    "NAME",
    "DEFAULT",
    "KIND",
    "INSTANCES (idle/total)",
    ...(verbose ? ["CREATED", "WHERE"] : []),
  ];
  ctx.out.print(textTable([head, ...rows]));
  return 0;
}

function selected(ctx: CommandContext, values: Values): InstanceRow[] {
  const only = typeof values.pool === "string" ? values.pool : undefined;
  // An unknown pool is refused ("did you mean"), never shown as empty.
  if (only !== undefined) requirePool(ctx.home, only);
  return instanceRows(listPools(ctx.home), Date.now()).filter((r) => only === undefined || r.pool === only);
}

async function ps(ctx: CommandContext, values: Values): Promise<number> {
  if (values.watch !== true) return psOnce(ctx, values);
  // -w: the table again every 2 s until Ctrl-C.
  while (!ctx.signal.aborted) {
    ctx.out.print(`\x1b[2J\x1b[H${new Date().toISOString()}`);
    psOnce(ctx, values);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  return 0;
}

function psOnce(ctx: CommandContext, values: Values): number {
  const rows = selected(ctx, values);
  if (values.json === true) {
    ctx.out.json({ instances: rows });
    return 0;
  }
  if (rows.length === 0) {
    ctx.out.print("No instances.");
    return 0;
  }
  const now = Date.now();
  // On a shared backend, whose each instance is.
  const owners = sharedRecords(ctx.home);
  const table = rows.map((r) => [
    r.name,
    ...(owners ? [r.owner ?? "-"] : []),
    r.pool,
    r.backend,
    r.zone === null ? r.region : `${r.region}/${r.zone}`,
    r.instance_type ?? "-",
    r.spot === null ? "-" : r.spot ? "spot" : "on-demand",
    r.price === null ? "-" : formatPrice(r.price),
    formatCost(r.cost_accrued),
    r.status === "busy" && r.runs.length > 0 ? `busy (${r.runs.join(", ")})` : r.status,
    r.idle_duration === "off" ? "off" : formatDuration(r.idle_duration),
    `${formatAge((now - Date.parse(r.created_at)) / 1000)} ago`,
  ]);
  const head = [
    "INSTANCE",
    ...(owners ? ["OWNER"] : []),
    "POOL",
    "BACKEND",
    "REGION",
    "TYPE",
    "SPOT",
    "PRICE/H",
    "COST",
    "STATUS",
    "IDLE",
    "CREATED",
  ];
  ctx.out.print(textTable([head, ...table]));
  return 0;
}

async function remove(ctx: CommandContext, values: Values, names: string[]): Promise<number> {
  const [name] = names;
  if (name === undefined || names.length > 1)
    throw usageError("name one instance", "dstack pool ps lists them");
  const rows = selected(ctx, values);
  const row = rows.find((r) => r.name === name);
  if (row === undefined) {
    const near = closest(
      name,
      rows.map((r) => r.name),
    );
    throw new UserError(
      "instance-not-found",
      `no instance named "${name}"${typeof values.pool === "string" ? ` in pool ${values.pool}` : ""}`,
      near === undefined ? "dstack pool ps lists the instances" : `did you mean "${near}"?`,
    );
  }
  if (row.status === "provisioning")
    throw new UserError(
      "instance-busy",
      `instance ${name} is being created`,
      "wait for that apply to end; a killed one is cleaned up by the next dstack command",
    );
  const kit = toolkitFor(ctx);
  const record = listPools(ctx.home).find((p) => p.name === row.place);
  const pools = kit.pools(record?.backend_url);
  const instance = record?.instances.find((i) => i.name === name);
  if (values.force !== true && instance !== undefined) {
    const runs = await activeRuns([instance], pools.ctx.privateKey);
    if (runs.length > 0)
      throw new UserError(
        "instance-busy",
        `instance ${name} runs ${runs.join(", ")}`,
        `stop ${runs.length === 1 ? "it" : "them"} first (dstack stop ${runs[0] ?? "NAME"}), or remove with --force (${runs.length === 1 ? "it ends" : "they end"} with the instance)`,
      );
  }
  if (
    !(await ctx.io.confirm(`Remove instance ${name} (${row.backend} ${row.region}) from pool ${row.pool}?`))
  )
    return 0;
  const pool = pools.byName(row.place);
  if (pool === undefined) throw new UserError("pool-not-found", `pool ${row.pool} is gone`);
  await pool.remove(name);
  ctx.out.print(`Removed instance ${name} from pool ${row.pool}.`);
  return 0;
}

/** `-n NAME`, or the one positional. */
function poolArg(values: Values, rest: string[], flag: "name" | "pool"): string {
  const given = typeof values[flag] === "string" ? [values[flag], ...rest] : rest;
  const [name] = given;
  if (name === undefined || given.length > 1)
    throw usageError(
      `name one pool (${flag === "name" ? "-n NAME" : "--pool NAME"})`,
      "dstack pool list shows the pools",
    );
  return name;
}

function create(ctx: CommandContext, values: Values, rest: string[]): number {
  const name = poolArg(values, rest, "name");
  createPool(ctx.home, name);
  ctx.out.print(`Created pool ${name}. dstack pool add --pool ${name} adds an instance to it.`);
  return 0;
}

async function deleteCommand(ctx: CommandContext, values: Values, rest: string[]): Promise<number> {
  const name = poolArg(values, rest, "name");
  requirePool(ctx.home, name);
  if (!(await ctx.io.confirm(`Delete pool ${name}?`))) return 0;
  deletePool(ctx.home, name);
  ctx.out.print(`Deleted pool ${name}.`);
  return 0;
}

function setDefault(ctx: CommandContext, values: Values, rest: string[]): number {
  const name = poolArg(values, rest, "pool");
  setDefaultPool(ctx.home, name);
  ctx.out.print(`${name} is now the default pool: runs and dstack pool add use it without --pool.`);
  return 0;
}
