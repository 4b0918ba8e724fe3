// `dstack _provision-fleet NAME` (internal): the background process `apply -d` of a fleet starts when
// the first pass under `retry` found no capacity. It compiles the configuration again from the original
// flags (passed in its environment), carries on the failover loop (src/fleets/resume-fleet.ts), and its
// output, timestamped, goes to ~/.dstack/logs/provision-fleet-NAME.log. `dstack delete NAME` cancels it
// with SIGTERM (the shared Ctrl-C path: the attempt under way is cancelled through Pulumi).
import { setTimeout as delay } from "node:timers/promises";
import { UserError, usageError } from "../../src/errors.js";
import { resumeFleet } from "../../src/fleets/resume-fleet.js";
import { readFleet, type FleetRecord } from "../../src/fleets/store.js";
import { networkSettings } from "../../src/generate/network-settings.js";
import { APPLY_VALUES_ENV } from "../../src/runs/pending-process.js";
import { provisionTuning } from "../../src/provisioning/provision-tuning.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";
import { toolkitFor } from "../toolkit.js";

/** The record names this process once `apply` has written its stamp (right after starting it). */
async function ownRecord(home: string, name: string): Promise<FleetRecord | undefined> {
  for (let i = 0; i < 100; i++) {
    const fleet = readFleet(home, name);
    if (fleet === undefined) return undefined;
    if (fleet.retrying?.process?.pid === process.pid) return fleet;
    await delay(50);
  }
  return undefined;
}

export async function run(ctx: CommandContext, _values: Values, positionals: string[]): Promise<number> {
  const name = positionals[0];
  if (name === undefined) throw usageError("name the pending fleet");
  const kit = toolkitFor(ctx);
  const pending = await ownRecord(ctx.home, name);
  const retrying = pending?.retrying;
  if (pending === undefined || retrying === undefined) {
    ctx.io.notify({
      code: "fleet.resume",
      level: "error",
      text: `no pending fleet ${name} names this process (${process.pid}); exiting`,
      data: { fleet: name, pid: process.pid, ours: false },
    });
    return 1;
  }
  ctx.io.notify({
    code: "fleet.resume",
    level: "info",
    text: `retrying fleet ${name} in the background: pass ${retrying.pass + 1} at ${retrying.next_try_at ?? "once"}`,
    data: {
      fleet: name,
      pid: process.pid,
      ours: true,
      pass: retrying.pass + 1,
      next_try_at: retrying.next_try_at,
    },
  });
  const values = JSON.parse(ctx.env[APPLY_VALUES_ENV] ?? "null") as Values | null;
  if (values === null) throw new UserError("internal", `${APPLY_VALUES_ENV} is missing`);
  const spec = compileFromFlags({ ...ctx, cwd: retrying.cwd }, values).result.spec;
  if (spec?.type !== "fleet")
    throw new UserError("config", `${pending.config_file} no longer compiles to a fleet (see above)`);
  const { value: fleet } = await resumeFleet({
    spec,
    pending,
    home: ctx.home,
    engine: kit.engine(pending.stack.backend_url),
    network: networkSettings(ctx.home),
    sshPublicKeys: [ensureClientKey(ctx.home).publicKey],
    tuning: provisionTuning(ctx.env),
    signal: ctx.signal,
    progress: (line) => ctx.io.notify({ code: "provision.progress", level: "info", text: line }),
  });
  ctx.io.notify({
    code: "fleet.provisioned",
    level: "info",
    text: `fleet ${fleet.name} provisioned: ${fleet.instances.length} x ${fleet.instance_type} in ${fleet.zone ?? fleet.region}`,
    data: {
      fleet: fleet.name,
      instances: fleet.instances.length,
      zone: fleet.zone ?? null,
      region: fleet.region,
    },
  });
  return 0;
}
