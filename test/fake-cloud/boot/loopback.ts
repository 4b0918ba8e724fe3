// Loopback public addresses for booted instances, 127.0.0.10 to 127.0.0.250 (127.0.0.1 is everybody
// else's): one per resource that owns a public address, so each instance publishes SSH at <address>:22
// the way a VM answers on its public IP. Parallel tests each have a store of their own, so the addresses
// are taken from one registry per machine (its own lock, always taken inside a store's lock, never the
// other way round) and recorded in the store's meta.addresses; freed ones are reused.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Store, withLock, type StoreData } from "../core/store.js";

export const FIRST_HOST = 10;
export const LAST_HOST = 250;
/** An entry whose store no longer records it is taken back only after this long (its create may be mid-way). */
const SETTLE_MS = 60_000;

interface Entry {
  /** The store (DSTACK_FAKE_CLOUD_DIR) holding the address. */
  dir: string;
  owner: string;
  at: number;
}
type Registry = Record<string, Entry>;

/** The machine-wide registry's folder (DSTACK_FAKE_CLOUD_LOOPBACK_DIR, else under the temp folder). */
export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DSTACK_FAKE_CLOUD_LOOPBACK_DIR ?? join(tmpdir(), "dstack-fake-cloud-loopback");
}

function readRegistry(file: string): Registry {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Registry) : {};
}

function writeRegistry(file: string, registry: Registry): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(registry, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Held by nobody any more: its store is gone, or (after a while) no longer lists it. */
function stale(ip: string, e: Entry, now: number): boolean {
  if (!existsSync(e.dir)) return true;
  return now - e.at > SETTLE_MS && new Store(e.dir).read().meta.addresses?.[e.owner] !== ip;
}

function inRegistry<T>(fn: (registry: Registry) => T): T {
  const dir = registryDir();
  const file = join(dir, "addresses.json");
  return withLock(dir, () => {
    const registry = readRegistry(file);
    const result = fn(registry);
    writeRegistry(file, registry);
    return result;
  });
}

/** The owner's address, allocating the lowest free one; call inside the store's transaction. */
export function allocateAddress(data: StoreData, storeDir: string, owner: string): string {
  const known = data.meta.addresses?.[owner];
  if (known !== undefined) return known;
  const dir = resolve(storeDir);
  const ip = inRegistry((registry) => {
    const now = Date.now();
    for (let host = FIRST_HOST; host <= LAST_HOST; host++) {
      const candidate = `127.0.0.${host}`;
      const entry = registry[candidate];
      if (entry !== undefined && !stale(candidate, entry, now)) continue;
      registry[candidate] = { dir, owner, at: now };
      return candidate;
    }
    throw new Error(
      `fake-cloud: no loopback address left: 127.0.0.${FIRST_HOST}-${LAST_HOST} are all held (see ${registryDir()}/addresses.json)`,
    );
  });
  data.meta.addresses = { ...data.meta.addresses, [owner]: ip };
  return ip;
}

/** Frees the addresses these resources held; call inside the store's transaction. */
export function releaseAddresses(data: StoreData, storeDir: string, owners: readonly string[]): void {
  const held = owners.filter((o) => data.meta.addresses?.[o] !== undefined);
  if (held.length === 0) return;
  const dir = resolve(storeDir);
  inRegistry((registry) => {
    for (const owner of held) {
      const ip = data.meta.addresses?.[owner] ?? "";
      if (registry[ip]?.dir === dir && registry[ip]?.owner === owner) delete registry[ip];
    }
  });
  const rest = Object.entries(data.meta.addresses ?? {}).filter(([o]) => !held.includes(o));
  data.meta.addresses = Object.fromEntries(rest);
}
