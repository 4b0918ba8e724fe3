// The local backend's settings for `apply`, from ~/.dstack/config.yml: its simulated zones and injected
// faults. A config.yml with errors stops here, every error with its FILE:LINE:COL.
import { join, resolve } from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { readDstackConfig } from "../../doctor/dstack-config.js";
import { dstackDir } from "../../engine/state-backend.js";
import { UserError } from "../../errors.js";
import type { FaultInputs } from "../../stacks/local/faults.js";

export interface LocalSettings {
  /** Empty: no simulated zones, one attempt that picks none. */
  zones: string[];
  faults?: FaultInputs;
}

const where = (d: Diagnostic): string => {
  const p = d.position;
  const at = p === null ? "" : p.line > 0 ? `${p.file}:${p.line}:${p.col}: ` : `${p.file}: `;
  return `${at}${d.path === "" ? "" : `${d.path}: `}${d.message}${d.hint === undefined ? "" : ` (${d.hint})`}`;
};

export function faultStateFile(home: string): string {
  return join(dstackDir(home), "local", "faults.json");
}

export function localSettings(home: string): LocalSettings {
  const config = readDstackConfig(home);
  const errors = config.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new UserError(
      "config",
      `${config.file} has ${errors.length === 1 ? "an error" : `${errors.length} errors`}:\n${errors.map((d) => `  ${where(d)}`).join("\n")}`,
      "fix it (dstack doctor checks it too)",
    );
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
