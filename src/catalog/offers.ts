// The effectful edge of the catalog: read the catalog files of the backends wanted (bundled, or the user's
// refreshed copy under `home` when newer), probe this machine for the `local` backend, and expand both
// into offers for the pure matcher.
import { CLOUD_BACKENDS, type CatalogFile } from "./data-format.js";
import { catalogDir } from "../home/paths.js";
import { expandCatalog } from "./expand.js";
import { loadCatalog } from "./load.js";
import { localOffer, probeLocalMachine, type LocalMachine } from "./local.js";
import type { Offer } from "./offer.js";

export interface OfferSource {
  /** null: every backend. Names this project does not provision (dstack's other backends) match nothing. */
  backends?: readonly string[] | null;
  /** The bundled data folder (tests point elsewhere). */
  dataDir?: string;
  /**
   * The user's home: its ~/.dstack/catalog copies (from `dstack catalog update`) win over the bundled
   * files when newer. Absent: bundled files only (tests stay independent of the real home).
   */
  home?: string;
  /** Describe this machine instead of probing it. */
  machine?: LocalMachine;
  /** The local backend's simulated availability zones (~/.dstack/config.yml `zones`). */
  localZones?: readonly string[];
}

export interface OfferSet {
  offers: Offer[];
  files: CatalogFile[];
}

export function loadOffers(source: OfferSource = {}): OfferSet {
  const wanted = source.backends ?? null;
  const clouds = CLOUD_BACKENDS.filter((b) => wanted === null || wanted.includes(b));
  const cacheDir = source.home === undefined ? undefined : catalogDir(source.home);
  const files = loadCatalog(clouds, source.dataDir, cacheDir);
  const offers = files.flatMap(expandCatalog);
  if (wanted === null || wanted.includes("local"))
    offers.push(localOffer(source.machine ?? probeLocalMachine(source.home), source.localZones));
  return { offers, files };
}
