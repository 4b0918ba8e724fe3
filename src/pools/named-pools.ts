// Named pools (dstack 0.16, seed 003): a user's grouping of instances, across backends and regions.
// `default-pool` always exists; `dstack pool create` adds others and `set-default` picks the one runs
// and `pool add` use when no --pool is given. A fleet is a pool declared in a file, named after the
// fleet. Where an instance lives (its backend and region's stack, `~/.dstack/pools/<place>.json`) is a
// separate matter: an instance records the named pool it belongs to (`pool_name`; absent: default-pool).
import { z } from "zod";
import { closest } from "../compiler/suggest.js";
import { NAME_PATTERN } from "../compiler/normalize/run-fields.js";
import { UserError } from "../errors.js";
import { readRootText, rootTextWhere, writeRootText } from "../home/record-stores.js";
import { listPools, type PoolInstance, type PoolRecord } from "./pool-store.js";

/** The named pools and the default, in the records root. */
const POOL_NAMES = "pool-names.json";

export const DEFAULT_POOL = "default-pool";

const catalogSchema = z.object({
  default: z.string(),
  pools: z.array(z.object({ name: z.string(), created_at: z.string() })),
});
export type PoolCatalog = z.infer<typeof catalogSchema>;

export function readPoolCatalog(home: string): PoolCatalog {
  const text = readRootText(home, POOL_NAMES);
  if (text === undefined) return { default: DEFAULT_POOL, pools: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success)
    throw new UserError(
      "pool-names-unreadable",
      `${rootTextWhere(home, POOL_NAMES)} is not a pool list dstack wrote`,
      "restore it from a backup, or remove it (the named pools are then forgotten; their instances stay in default-pool)",
    );
  return parsed.data;
}

function writeCatalog(home: string, catalog: PoolCatalog): void {
  writeRootText(home, POOL_NAMES, `${JSON.stringify(catalog, null, 2)}\n`);
}

/** The named pool an instance belongs to: its fleet's, the one it was added to, else default-pool. */
export const poolNameOf = (place: PoolRecord, instance: PoolInstance): string =>
  place.fleet ?? instance.pool_name ?? DEFAULT_POOL;

export interface NamedPool {
  name: string;
  kind: "pool" | "fleet";
  default: boolean;
  /** null for default-pool before anything was created in it, and for fleets (see `dstack fleet`). */
  created_at: string | null;
  instances: { place: PoolRecord; instance: PoolInstance }[];
}

/** Every pool the user can name: default-pool, the created ones, and the fleets' (with their instances). */
export function namedPools(home: string): NamedPool[] {
  const catalog = readPoolCatalog(home);
  const places = listPools(home);
  const members = (name: string): NamedPool["instances"] =>
    places.flatMap((place) =>
      place.instances.filter((i) => poolNameOf(place, i) === name).map((instance) => ({ place, instance })),
    );
  const created = new Map(catalog.pools.map((p) => [p.name, p.created_at]));
  const names = [DEFAULT_POOL, ...catalog.pools.map((p) => p.name).filter((n) => n !== DEFAULT_POOL)];
  // An instance may name a pool deleted behind dstack's back: it is still shown, under that name.
  for (const place of places)
    for (const i of place.instances) {
      const n = poolNameOf(place, i);
      if (place.fleet === undefined && !names.includes(n)) names.push(n);
    }
  const pools: NamedPool[] = names.map((name) => ({
    name,
    kind: "pool",
    default: name === catalog.default,
    created_at: created.get(name) ?? null,
    instances: members(name),
  }));
  for (const place of places)
    if (place.fleet !== undefined && !pools.some((p) => p.name === place.fleet))
      pools.push({
        name: place.fleet,
        kind: "fleet",
        default: false,
        created_at: null,
        instances: members(place.fleet),
      });
  return pools;
}

/** The pool a command names must exist; "did you mean" otherwise. Nothing is changed either way. */
export function requirePool(home: string, name: string): NamedPool {
  const pools = namedPools(home);
  const found = pools.find((p) => p.name === name);
  if (found !== undefined) return found;
  const near = closest(
    name,
    pools.map((p) => p.name),
  );
  throw new UserError(
    "pool-not-found",
    `no pool named "${name}"`,
    near === undefined
      ? `dstack pool list shows the pools; dstack pool create -n ${name} makes one`
      : `did you mean "${near}"?`,
  );
}

/** The pool runs and `pool add` use without --pool. */
export const defaultPoolName = (home: string): string => readPoolCatalog(home).default;

export function createPool(home: string, name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new UserError(
      "invalid-pool-name",
      `"${name}" is not a valid pool name`,
      "use 2 to 41 characters: a lowercase letter, then lowercase letters, digits or dashes",
    );
  const catalog = readPoolCatalog(home);
  // A name only instances still carry (their pool was deleted behind dstack's back) may be created again.
  const taken =
    name === DEFAULT_POOL ||
    catalog.pools.some((p) => p.name === name) ||
    namedPools(home).some((p) => p.name === name && p.kind === "fleet");
  if (taken)
    throw new UserError(
      "pool-exists",
      `a pool named "${name}" already exists`,
      "dstack pool list shows the pools",
    );
  writeCatalog(home, {
    ...catalog,
    pools: [...catalog.pools, { name, created_at: new Date().toISOString() }],
  });
}

export function deletePool(home: string, name: string): void {
  const pool = requirePool(home, name);
  if (pool.kind === "fleet")
    throw new UserError(
      "pool-is-fleet",
      `"${name}" is a fleet's pool`,
      `dstack delete ${name} deletes the fleet`,
    );
  if (name === DEFAULT_POOL)
    throw new UserError("pool-default", `${DEFAULT_POOL} always exists and cannot be deleted`);
  if (pool.instances.length > 0)
    throw new UserError(
      "pool-not-empty",
      `pool ${name} still has ${pool.instances.length} instance${pool.instances.length === 1 ? "" : "s"}: ${pool.instances.map((m) => m.instance.name).join(", ")}`,
      `remove them first (dstack pool remove NAME --pool ${name})`,
    );
  const catalog = readPoolCatalog(home);
  writeCatalog(home, {
    // The default falls back to default-pool when it is the one deleted.
    default: catalog.default === name ? DEFAULT_POOL : catalog.default,
    pools: catalog.pools.filter((p) => p.name !== name),
  });
}

export function setDefaultPool(home: string, name: string): void {
  const pool = requirePool(home, name);
  if (pool.kind === "fleet")
    throw new UserError(
      "pool-is-fleet",
      `"${name}" is a fleet's pool: runs use its instances with --fleet ${name}, never adding any`,
      "create a pool (dstack pool create -n NAME) and make that the default",
    );
  writeCatalog(home, { ...readPoolCatalog(home), default: name });
}

/**
 * The pool a run (or `pool add`) puts a new instance into: the one it names, which must exist and not
 * be a fleet's (a fleet's instances are used with --fleet), else the default pool. Checked before
 * anything changes.
 */
export function poolForNewInstances(home: string, poolName: string | null): string {
  if (poolName === null) return defaultPoolName(home);
  const pool = requirePool(home, poolName);
  if (pool.kind === "fleet")
    throw new UserError(
      "pool-is-fleet",
      `"${poolName}" is a fleet's pool`,
      `use --fleet ${poolName} (fleets: [${poolName}]) to run on its idle instances`,
    );
  return pool.name;
}
