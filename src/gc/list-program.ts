// The Pulumi program that lists what carries dstack's tag: its one output, `found`, is every tagged
// instance, TPU VM, volume and security group of the regions and projects given, read through the
// clouds' own list calls (invokes) by the same providers the stacks use. It creates nothing but the
// providers. The cloud packages load only when a cloud is listed.
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { FoundResource } from "./found.js";
import { listAws } from "./list-aws.js";
import { listGcp } from "./list-gcp.js";

export interface ListPlaces {
  aws: readonly string[];
  gcp: readonly string[];
}

export function listProgram(places: ListPlaces): PulumiFn {
  return async () => {
    const lists: Promise<FoundResource[]>[] = [];
    if (places.aws.length > 0) {
      const aws = await import("@pulumi/aws");
      lists.push(...places.aws.map((region) => listAws(aws, region)));
    }
    if (places.gcp.length > 0) {
      const gcp = await import("@pulumi/gcp");
      lists.push(...places.gcp.map((project) => listGcp(gcp, project)));
    }
    const found: FoundResource[] = (await Promise.all(lists)).flat();
    return { found };
  };
}
