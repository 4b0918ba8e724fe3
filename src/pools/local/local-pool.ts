// The local backend's pool: its stack holds one LocalInstance (a container of the local instance image,
// booted by cloud-init) per instance in the pool file; each is reached at 127.0.0.1 on the port Docker
// published for its sshd. Whether an instance still exists is Docker's to say (its container).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackTarget } from "../../engine/stack-runner.js";
import { UserError } from "../../errors.js";
import { localInstancesDir } from "../../home/paths.js";
import { packageRoot } from "../../package-root.js";
import type { FaultInputs } from "../../stacks/local/faults.js";
import { instanceRunning } from "../../stacks/local/instance-ops.js";
import { localPoolProgram } from "../../stacks/local/program.js";
import { currentOwner } from "../../home/owner.js";
import type { PoolInstance } from "../pool-store.js";
import { StackPool, type EngineContext, type OutputAddress, type PoolAdapter } from "../stack-pool.js";

export const LOCAL_POOL = "local";
/** The local offer's region (src/catalog/local.ts). */
const LOCAL_REGION = "local";

export interface LocalPoolSettings {
  /** The locally built instance image (scripts/build-instance-image). */
  image: string;
  publicKey: string;
  /** Injected capacity faults (config.yml, a testing aid); only creates look at them. */
  faults?: FaultInputs;
}

function builtFile(relative: string): string {
  const path = join(packageRoot(), "dist", relative);
  if (!existsSync(path))
    throw new UserError("not-built", `${path} is missing`, "run ./scripts/setup (or npm run build)");
  return path;
}

/** Where the local backend keeps each instance's seed and data folders. */
export function newInstanceName(backend = "local"): string {
  return `${backend}-${randomBytes(3).toString("hex")}`;
}

export function localPoolTarget(
  home: string,
  engine: EngineContext,
  settings: LocalPoolSettings,
  instances: readonly Pick<
    PoolInstance,
    "name" | "zone" | "created_idle_duration" | "ssh_public_keys" | "local_root"
  >[],
): StackTarget {
  return {
    project: "dstack",
    stack: `pool-${LOCAL_POOL}`,
    backend: engine.backend,
    pulumiBinDir: engine.pulumiBinDir,
    program: localPoolProgram({
      instances: instances.map((i) => ({
        name: i.name,
        zone: i.zone ?? null,
        ...(i.created_idle_duration === undefined
          ? {}
          : { idle_duration_s: i.created_idle_duration === "off" ? null : i.created_idle_duration }),
        // As created: a teammate updating the shared pool's stack must not change a byte of it.
        ...(i.ssh_public_keys === undefined ? {} : { ssh_authorized_keys: i.ssh_public_keys }),
        ...(i.local_root === undefined ? {} : { root: i.local_root }),
      })),
      image: settings.image,
      root: localInstancesDir(home),
      opsScript: builtFile("local-instance-ops.js"),
      agentSource: readFileSync(builtFile(join("agent", "dstack-agent.js")), "utf8"),
      sshAuthorizedKeys: [settings.publicKey],
      ...(settings.faults === undefined ? {} : { faults: settings.faults }),
    }),
    ...(engine.onNotice === undefined ? {} : { onNotice: engine.onNotice }),
  };
}

type OutputInstance = { name: string; sshPort: number; zone?: string | null };

function localAdapter(home: string, engine: EngineContext, settings: LocalPoolSettings): PoolAdapter {
  return {
    backend: "local",
    region: LOCAL_REGION,
    removeStackWhenEmpty: false,
    target: (instances) => localPoolTarget(home, engine, settings, instances),
    addresses: (outputs): OutputAddress[] =>
      ((outputs.instances as OutputInstance[] | undefined) ?? []).map((i) => ({
        name: i.name,
        host: "127.0.0.1",
        port: i.sshPort,
        user: "root",
        zone: i.zone ?? null,
      })),
    // What belongs to the creator, recorded so every later update of the stack keeps it.
    details: () => ({
      ssh_public_keys: [settings.publicKey],
      local_root: localInstancesDir(home),
      owner: currentOwner(),
    }),
    missing: (instances) =>
      Promise.resolve(instances.filter((i) => !instanceRunning(i.name)).map((i) => i.name)),
  };
}

export function localPool(home: string, engine: EngineContext, settings: LocalPoolSettings): StackPool {
  return new StackPool(LOCAL_POOL, home, engine, localAdapter(home, engine, settings));
}
