// What dstack remembers of each pool between commands: which instances its Pulumi stack holds, how to
// reach each one (host + port + user, the same for every backend), the offer it was made from, and
// the bookkeeping of reuse and teardown (claims, idleness, the runs on it). One file per pool under
// ~/.dstack/pools; Pulumi's state stays the truth about what exists.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { poolsDir } from "../home/paths.js";
import { readJson, writeJson } from "../home/json-files.js";
import type { ProcessStamp } from "../process-identity.js";
import type { PoolInstanceSpec } from "../stacks/pool-spec.js";

export interface PoolInstance {
  name: string;
  /** The availability zone it was created in; null or absent when none was chosen. */
  zone?: string | null;
  created_at: string;
  idle_duration: number | "off";
  /** How to reach its sshd, once it exists: 127.0.0.1 and a published port locally, the public IP on a cloud. */
  host?: string;
  ssh_port?: number;
  ssh_user?: string;
  /** The offer it was made from (absent in local records written before clouds ran runs). */
  instance_type?: string;
  spot?: boolean;
  price?: number;
  /** A cloud instance's place in its pool stack: what the backend's builder makes of it. */
  spec?: PoolInstanceSpec;
  /** The cloud's id of the instance (EC2 instance id, GCP self link, Azure VM id). */
  id?: string;
  /** Set when a run is being placed on it, so the reaper leaves it alone meanwhile. */
  claimed_at?: string;
  /** When the reaper first saw it without active runs. */
  idle_since?: string;
  /**
   * The process creating it, while its create runs: an entry whose creator died (SIGKILL, crash)
   * mid-create is a leftover the next command removes. Cleared once the instance is up.
   */
  creator?: ProcessStamp;
  /** The runs last seen active on it: if the instance disappears, these were interrupted. */
  active_runs?: string[];
}

export interface PoolRecord {
  /** The pool's id: `local`, or `<backend>-<region>` for a cloud pool. */
  name: string;
  /** Absent in local pool files written before clouds ran runs: `local`. */
  backend?: string;
  region?: string;
  instances: PoolInstance[];
  /** The Pulumi state backend holding the pool's stack, so the reaper and later commands use the same one. */
  backend_url?: string;
}

const poolFile = (home: string, pool: string): string => join(poolsDir(home), `${pool}.json`);

export const readPool = (home: string, pool: string): PoolRecord =>
  readJson<PoolRecord>(poolFile(home, pool)) ?? { name: pool, instances: [] };

export const writePool = (home: string, pool: PoolRecord): void => writeJson(poolFile(home, pool.name), pool);

/** Every pool that has a file (an emptied pool keeps its file with no instances). */
export function listPools(home: string): PoolRecord[] {
  let files: string[];
  try {
    files = readdirSync(poolsDir(home)).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .map((f) => readPool(home, f.slice(0, -".json".length)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Instances of every pool, each with the pool it belongs to. */
export function listInstances(home: string): { pool: PoolRecord; instance: PoolInstance }[] {
  return listPools(home).flatMap((pool) => pool.instances.map((instance) => ({ pool, instance })));
}

export function updatePoolInstance(
  home: string,
  pool: string,
  name: string,
  patch: Partial<PoolInstance>,
): void {
  const record = readPool(home, pool);
  if (!record.instances.some((i) => i.name === name)) return;
  writePool(home, {
    ...record,
    instances: record.instances.map((i) => (i.name === name ? { ...i, ...patch } : i)),
  });
}

/** Whether any pool holds an instance (the reaper runs while one does). */
export const hasInstances = (home: string): boolean => listPools(home).some((p) => p.instances.length > 0);
