// What a GCP pool spec must satisfy before any resource is registered, all problems at once: a
// half-registered pool would otherwise fail at the cloud, one problem per `up`, after minutes.
import { UserError } from "../../errors.js";
import type { PoolSpec } from "../pool-spec.js";
import { zoneOf } from "./naming.js";
import { tpuSourceDisk } from "./volumes.js";

export function gcpPoolProblems(spec: PoolSpec): string[] {
  const problems: string[] = [];
  const volumes = new Map(spec.volumes.map((v) => [v.name, v]));
  for (const instance of spec.instances) {
    const where = `instance ${instance.name}`;
    const zone = zoneOf(spec.region, instance.zone);
    if (instance.tpu && instance.accelerator === null)
      problems.push(`${where}: a TPU needs its accelerator type (e.g. v5litepod-8)`);
    for (const name of instance.volumes) {
      const volume = volumes.get(name);
      if (volume === undefined) {
        problems.push(`${where}: volume ${name} is not a volume of pool ${spec.pool}`);
        continue;
      }
      const volumeZone = zoneOf(spec.region, volume.zone);
      if (volumeZone !== zone)
        problems.push(
          `${where} is in ${zone} but volume ${name} is in ${volumeZone}: a persistent disk attaches only within its zone`,
        );
      if (
        instance.tpu &&
        volume.volume_id !== null &&
        tpuSourceDisk(volume.volume_id, spec.network.project, zone) === null
      )
        problems.push(
          `${where}: a TPU attaches an existing disk by path: give volume ${name} as projects/<project>/zones/<zone>/disks/<name>, or set the backend's project`,
        );
    }
  }
  return problems;
}

export function assertValidGcpPool(spec: PoolSpec): void {
  const problems = gcpPoolProblems(spec);
  if (problems.length === 0) return;
  throw new UserError(
    "gcp-pool-invalid",
    `pool ${spec.pool} cannot be built on GCP:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  );
}
