// The network volumes a run or fleet mounts by name, resolved to their volume configurations: dstack
// keeps volumes as their own configurations, so `generate` looks for them beside the configuration.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { compileFile } from "../compiler/load.js";
import type { FleetSpec, RunSpec, VolumeSpec } from "../compiler/spec.js";
import { UserError } from "../errors.js";

const CONFIG_FILE = /(^|\.)dstack\.ya?ml$/;

/** Every volume configuration in the folder of `configFile` (files that do not compile are skipped). */
export function volumeConfigsBeside(configFile: string): VolumeSpec[] {
  const dir = dirname(configFile);
  const volumes: VolumeSpec[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => CONFIG_FILE.test(n))
    .sort()) {
    const result = compileFile(join(dir, name), { noProfile: true });
    if (result.spec?.type === "volume") volumes.push(result.spec);
  }
  return volumes;
}

export function resolveVolumes(spec: RunSpec | FleetSpec, configFile: string): VolumeSpec[] {
  const mounts = spec.type === "fleet" ? [] : spec.volumes.filter((v) => v.kind === "network");
  if (mounts.length === 0) return [];
  const known = volumeConfigsBeside(configFile);
  return mounts.map((mount) => {
    // A mount may list alternatives (one per region); the first with a configuration wins.
    const found = mount.name.map((n) => known.find((v) => v.name === n)).find((v) => v !== undefined);
    if (found === undefined)
      throw new UserError(
        "unknown-volume",
        `no volume configuration named ${mount.name.join(" or ")} next to ${configFile}`,
        "add a `type: volume` configuration for it in the same folder",
      );
    return found;
  });
}
