// Which backends runs may be provisioned on: those listed in ~/.dstack/config.yml (`backends`), each
// limited to its configured regions; with no config.yml (or none listed), only this machine (`local`).
// A config.yml with errors is refused (loadDstackConfig), never read as "nothing configured".
import type { MatchedOffer } from "../catalog/offer.js";
import { loadDstackConfig } from "../home/load-config.js";

export interface ConfiguredBackends {
  types: string[];
  /** Per backend, the regions allowed (absent or empty: every region). */
  regions: Map<string, string[]>;
}

export function configuredBackends(home: string): ConfiguredBackends {
  const config = loadDstackConfig(home);
  if (config.backends.length === 0) return { types: ["local"], regions: new Map() };
  return {
    types: config.backends.map((b) => b.type),
    regions: new Map(config.backends.map((b) => [b.type, b.regions])),
  };
}

export function isConfigured(configured: ConfiguredBackends, offer: MatchedOffer): boolean {
  if (!configured.types.includes(offer.backend)) return false;
  const regions = configured.regions.get(offer.backend) ?? [];
  return regions.length === 0 || regions.includes(offer.region);
}
