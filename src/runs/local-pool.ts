// The local pool: one Pulumi stack whose program holds one LocalInstance per instance in the pool file.
// Adding or removing an instance is an `up` of that stack with the new list, so the engine computes the
// diff and the state records exactly what exists.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { destroy, preview, up, type StackTarget } from "../engine/stack-runner.js";
import type { StateBackend } from "../engine/state-backend.js";
import type { Plan } from "../engine/plan.js";
import { packageRoot } from "../package-root.js";
import { ownStamp } from "../process-identity.js";
import type { FaultInputs } from "../stacks/local/faults.js";
import { localPoolProgram, type LocalPoolMember } from "../stacks/local/program.js";
import { readPool, writePool, type PoolInstance } from "./store.js";
import { withPoolLock } from "./pool-lock.js";
import { UserError } from "../errors.js";
import { CleanupFailed } from "./cleanup-failed.js";

export const LOCAL_POOL = "local";

export interface PoolContext {
  home: string;
  backend: StateBackend;
  pulumiBinDir: string;
  publicKey: string;
  /** The locally built instance image (scripts/build-instance-image). */
  image: string;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  /** Injected capacity faults (config.yml, a testing aid); only creates look at them. */
  faults?: FaultInputs;
}

export interface InstanceAddress {
  name: string;
  sshPort: number;
  zone: string | null;
}

function builtFile(relative: string): string {
  const path = join(packageRoot(), "dist", relative);
  if (!existsSync(path))
    throw new UserError("not-built", `${path} is missing`, "run ./scripts/setup (or npm run build)");
  return path;
}

/** Where the local backend keeps each instance's seed and data folders. */
export const instancesRoot = (home: string): string => join(home, ".dstack", "local", "instances");

const members = (instances: readonly PoolInstance[]): LocalPoolMember[] =>
  instances.map((i) => ({ name: i.name, zone: i.zone ?? null }));

export function poolTarget(ctx: PoolContext, instances: readonly LocalPoolMember[]): StackTarget {
  return {
    project: "dstack",
    stack: `pool-${LOCAL_POOL}`,
    backend: ctx.backend,
    pulumiBinDir: ctx.pulumiBinDir,
    program: localPoolProgram({
      instances,
      image: ctx.image,
      root: instancesRoot(ctx.home),
      opsScript: builtFile("local-instance-ops.js"),
      agentSource: readFileSync(builtFile(join("agent", "dstack-agent.js")), "utf8"),
      sshAuthorizedKeys: [ctx.publicKey],
      ...(ctx.faults === undefined ? {} : { faults: ctx.faults }),
    }),
  };
}

export function newInstanceName(): string {
  return `local-${randomBytes(3).toString("hex")}`;
}

type OutputInstance = { name: string; sshPort: number; zone?: string | null };

function addresses(outputs: Record<string, unknown>): InstanceAddress[] {
  return ((outputs.instances as OutputInstance[] | undefined) ?? []).map((i) => ({
    name: i.name,
    sshPort: i.sshPort,
    zone: i.zone ?? null,
  }));
}

/** The infrastructure diff of adding `member` to the pool, without changing anything. */
export function previewAdd(ctx: PoolContext, member: LocalPoolMember): Promise<Plan> {
  const current = members(readPool(ctx.home, LOCAL_POOL).instances);
  return preview(poolTarget(ctx, [...current, member]), { signal: ctx.signal, onOutput: ctx.onOutput });
}

export function addInstance(ctx: PoolContext, instance: PoolInstance): Promise<InstanceAddress> {
  return withPoolLock(ctx.home, LOCAL_POOL, () => addUnderLock(ctx, instance), ctx.signal);
}

async function addUnderLock(ctx: PoolContext, instance: PoolInstance): Promise<InstanceAddress> {
  const pool = readPool(ctx.home, LOCAL_POOL);
  const wanted = members([...pool.instances, instance]);
  // Record the instance before `up`: if the update is interrupted, the next command still knows the
  // instance may exist and tears it down through the same stack.
  if (pool.instances.length > 0 && pool.backend_url !== undefined && pool.backend_url !== ctx.backend.url) {
    throw new UserError(
      "backend-mismatch",
      `the local pool's stack lives in ${pool.backend_url}, not ${ctx.backend.url}`,
      `pass --backend-url ${pool.backend_url}, or wait until the pool's instances are gone`,
    );
  }
  writePool(ctx.home, {
    ...pool,
    backend_url: ctx.backend.url,
    instances: [
      ...pool.instances,
      { ...instance, claimed_at: new Date().toISOString(), creator: ownStamp() },
    ],
  });
  try {
    const result = await up(poolTarget(ctx, wanted), { signal: ctx.signal, onOutput: ctx.onOutput });
    const address = addresses(result.outputs).find((a) => a.name === instance.name);
    if (address === undefined) throw new Error(`the pool stack did not report instance ${instance.name}`);
    updatePoolInstance(ctx.home, instance.name, { ssh_port: address.sshPort, creator: undefined });
    return address;
  } catch (error) {
    // The provider removes a half-created container itself; drop the instance from the pool again so
    // the stack and the pool file agree. This runs even when the update was cancelled (no signal).
    try {
      await removeInstance({ ...ctx, signal: undefined }, instance.name);
    } catch (cleanup) {
      throw new CleanupFailed(instance.name, error, cleanup);
    }
    throw error;
  }
}

export function updatePoolInstance(home: string, name: string, patch: Partial<PoolInstance>): void {
  const pool = readPool(home, LOCAL_POOL);
  writePool(home, {
    ...pool,
    instances: pool.instances.map((i) => (i.name === name ? { ...i, ...patch } : i)),
  });
}

export function removeInstance(ctx: PoolContext, name: string): Promise<void> {
  return withPoolLock(
    ctx.home,
    LOCAL_POOL,
    async () => {
      const rest = readPool(ctx.home, LOCAL_POOL).instances.filter((i) => i.name !== name);
      if (rest.length === 0)
        await destroy(poolTarget(ctx, []), { signal: ctx.signal, onOutput: ctx.onOutput });
      else await up(poolTarget(ctx, members(rest)), { signal: ctx.signal, onOutput: ctx.onOutput });
      // Read again: claims and active runs of the other instances may have changed meanwhile.
      const latest = readPool(ctx.home, LOCAL_POOL);
      writePool(ctx.home, { ...latest, instances: latest.instances.filter((i) => i.name !== name) });
    },
    ctx.signal,
  );
}
