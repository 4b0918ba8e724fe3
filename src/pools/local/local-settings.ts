// The local backend's settings for `apply`, from ~/.dstack/config.yml: its simulated zones and injected
// faults. A config.yml with errors stops here (loadDstackConfig).
import { loadDstackConfig } from "../../home/load-config.js";
import { resolve } from "node:path";
import { dstackDir, faultStateFile } from "../../home/paths.js";
import type { FaultInputs } from "../../stacks/local/faults.js";

export interface LocalSettings {
  /** Empty: no simulated zones, one attempt that picks none. */
  zones: string[];
  faults?: FaultInputs;
}

export function localSettings(home: string): LocalSettings {
  const config = loadDstackConfig(home);
  const local = config.backends.find((b) => b.type === "local");
  const zones = local?.zones ?? [];
  const faults = local?.faults;
  if (faults === undefined || faults.noCapacity.length === 0) return { zones };
  return {
    zones,
    faults: {
      zones,
      no_capacity: faults.noCapacity,
      no_capacity_for: faults.noCapacityFor,
      ...(faults.noCapacityUntilFile === undefined
        ? {}
        : { no_capacity_until_file: resolve(dstackDir(home), faults.noCapacityUntilFile) }),
      state_file: faultStateFile(home),
    },
  };
}
