// The effectful edge of the catalog: read the bundled files of the backends wanted, probe this machine
// for the `local` backend, and expand both into offers for the pure matcher.
import type { Backend } from "../compiler/spec.js";
import { CLOUD_BACKENDS, type CatalogFile } from "./data-format.js";
import { expandCatalog } from "./expand.js";
import { loadCatalog } from "./load.js";
import { localOffer, probeLocalMachine, type LocalMachine } from "./local.js";
import type { Offer } from "./offer.js";

export interface OfferSource {
  /** null: every backend. */
  backends?: readonly Backend[] | null;
  /** The bundled data folder (tests point elsewhere). */
  dataDir?: string;
  home?: string;
  /** Describe this machine instead of probing it. */
  machine?: LocalMachine;
}

export interface OfferSet {
  offers: Offer[];
  files: CatalogFile[];
}

export function loadOffers(source: OfferSource = {}): OfferSet {
  const wanted = source.backends ?? null;
  const clouds = CLOUD_BACKENDS.filter((b) => wanted === null || wanted.includes(b));
  const files = loadCatalog(clouds, source.dataDir);
  const offers = files.flatMap(expandCatalog);
  if (wanted === null || wanted.includes("local"))
    offers.push(localOffer(source.machine ?? probeLocalMachine(source.home)));
  return { offers, files };
}
