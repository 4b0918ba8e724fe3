// GCP's part of the listing program: one Cloud Asset Inventory search per project (the only list call
// @pulumi/gcp has across instances, TPU VMs and disks) for resources labelled dstack-managed=true. A
// disk counts only with a dstack-volume label: boot disks carry dstack-instance and go with their
// instance. The search needs the Cloud Asset API enabled in the project.
import type * as GcpModule from "@pulumi/gcp";
import { MANAGED_TAG } from "../stacks/tags.js";
import type { FoundResource, GcKind } from "./found.js";

type Gcp = typeof GcpModule;

const ASSETS: Record<string, { kind: GcKind; type: string }> = {
  "compute.googleapis.com/Instance": { kind: "instance", type: "gcp:compute/instance:Instance" },
  "tpu.googleapis.com/Node": { kind: "tpu", type: "gcp:tpu/v2Vm:V2Vm" },
  "compute.googleapis.com/Disk": { kind: "volume", type: "gcp:compute/disk:Disk" },
};

/** `//compute.googleapis.com/projects/p/zones/z/instances/n` -> `projects/p/zones/z/instances/n`. */
const idOf = (fullName: string): string => fullName.replace(/^\/\/[^/]+\//, "");

export async function listGcp(gcp: Gcp, project: string): Promise<FoundResource[]> {
  const provider = new gcp.Provider(`gcp-${project}`, { project });
  const search = await gcp.cloudasset.getSearchAllResources(
    {
      scope: `projects/${project}`,
      assetTypes: Object.keys(ASSETS),
      query: `labels.${MANAGED_TAG}=true`,
    },
    { provider },
  );
  return search.results.flatMap((r): FoundResource[] => {
    const asset = ASSETS[r.assetType];
    if (asset === undefined) return [];
    if (asset.kind === "volume" && r.labels["dstack-volume"] === undefined) return [];
    return [
      {
        cloud: "gcp",
        scope: project,
        location: r.location,
        kind: asset.kind,
        type: asset.type,
        id: idOf(r.name),
        name: r.displayName,
        tags: r.labels,
        created: r.createTime === "" ? null : r.createTime,
      },
    ];
  });
}
