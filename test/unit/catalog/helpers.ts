import { expandCatalog } from "../../../src/catalog/expand.js";
import { loadCatalog } from "../../../src/catalog/load.js";
import { localOffer, type LocalMachine } from "../../../src/catalog/local.js";
import { matchOffers } from "../../../src/catalog/match.js";
import type { MatchedOffer, Offer } from "../../../src/catalog/offer.js";
import { requirementsOf, type Requirements } from "../../../src/catalog/requirements.js";
import { compile } from "../../../src/compiler/compile.js";
import type { RawOverrides } from "../../../src/compiler/overrides.js";

/** The real bundled catalog, expanded once. */
export const CATALOG: readonly Offer[] = loadCatalog().flatMap(expandCatalog);

export const MACHINE: LocalMachine = {
  cpus: 16,
  cpu_arch: "x86",
  memory_gb: 64,
  disk_gb: 500,
  gpus: [],
};

export const LOCAL = localOffer(MACHINE);

/**
 * Requirements the way `dstack offer` builds them without -f: a minimal task with an image (so the
 * vendor is not narrowed), spot policy auto unless flags say otherwise, then the flags.
 */
export function requirements(flags: RawOverrides = {}, yaml = ""): Requirements {
  const text = `type: task\ncommands: [":"]\nimage: scratch\n${flags.spot_policy === undefined ? "spot_policy: auto\n" : ""}${yaml}`;
  const result = compile({ file: "test", text, overrides: flags });
  if (result.spec === null || result.spec.type === "volume")
    throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return requirementsOf(result.spec);
}

/** Requirements of a run configuration as written (what `dstack offer -f FILE` uses). */
export function runRequirements(text: string): Requirements {
  const result = compile({ file: "run.dstack.yml", text });
  if (result.spec === null || result.spec.type === "volume")
    throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return requirementsOf(result.spec);
}

export function offers(
  flags: RawOverrides = {},
  yaml = "",
  catalog: readonly Offer[] = CATALOG,
): MatchedOffer[] {
  return matchOffers(catalog, requirements(flags, yaml));
}

export const typesOf = (list: readonly Offer[]): string[] =>
  [...new Set(list.map((o) => o.instance_type))].sort();
