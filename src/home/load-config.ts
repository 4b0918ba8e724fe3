// The one way dstack reads ~/.dstack/config.yml for work (apply, generate, provisioning): absent is
// fine (defaults apply); a file with errors is refused, every error with its FILE:LINE:COL, always in
// the same words. `dstack doctor` reads it with readDstackConfig instead, to report rather than refuse.
import { formatDiagnostic } from "../compiler/diagnostics.js";
import { UserError } from "../errors.js";
import { readDstackConfig, type DstackConfig } from "./dstack-config.js";

export function loadDstackConfig(home: string): DstackConfig {
  const config = readDstackConfig(home);
  const errors = config.diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0) return config;
  const lines = errors.map((d) => `  ${formatDiagnostic(d).replace(/\n/g, "\n  ")}`);
  throw new UserError(
    "config",
    `${config.file} has ${errors.length === 1 ? "an error" : `${errors.length} errors`}:\n${lines.join("\n")}`,
    "fix it (`dstack doctor` checks it too)",
  );
}
