// Labels a prebuilt image carries (set at the build's commit), so that a listing from the registry alone
// can say what it was built from and for which configuration.
import type { PrebuiltTarget } from "./prebuilt-target.js";

export const LABEL_BASE = "dev.dstack.prebuilt.base";
export const LABEL_BASE_DIGEST = "dev.dstack.prebuilt.base-digest";
export const LABEL_KEY = "dev.dstack.prebuilt.key";
export const LABEL_CONFIG = "dev.dstack.prebuilt.config";

export function prebuiltLabels(target: PrebuiltTarget, configFile: string): Record<string, string> {
  return {
    [LABEL_BASE]: target.base,
    [LABEL_BASE_DIGEST]: target.baseDigest,
    [LABEL_KEY]: target.key.digest,
    [LABEL_CONFIG]: configFile,
  };
}
