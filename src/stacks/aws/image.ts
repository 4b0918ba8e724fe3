// The machine image of an instance: the configured AMI, else the newest AWS Deep Learning Base AMI
// (Ubuntu 22.04 with the NVIDIA driver, Docker and the NVIDIA container toolkit: what the agent's GPU
// containers need) for GPU instances, and plain Ubuntu 22.04 for CPU-only ones, where the DLAMI's driver
// is dead weight. One lookup per kind per pool.
import type * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import type { AwsPoolContext } from "./context.js";

export const GPU_AMI = {
  owner: "amazon",
  name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *",
} as const;
export const CPU_AMI = {
  /** Canonical's account. */
  owner: "099720109477",
  name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
} as const;

export class AwsImages {
  private readonly lookups = new Map<string, pulumi.Output<string>>();

  constructor(private readonly ctx: AwsPoolContext) {}

  /** Whether the instance's AMI comes from a lookup (and so may move on to a newer release). */
  static isLookedUp(instance: PoolInstanceSpec): boolean {
    return instance.image === null;
  }

  ami(instance: PoolInstanceSpec): pulumi.Input<string> {
    if (instance.image !== null) return instance.image;
    const wanted = instance.gpu_count > 0 ? GPU_AMI : CPU_AMI;
    let id = this.lookups.get(wanted.name);
    if (id === undefined) {
      id = ec2.getAmiOutput(
        {
          mostRecent: true,
          owners: [wanted.owner],
          filters: [
            { name: "name", values: [wanted.name] },
            { name: "architecture", values: ["x86_64"] },
            { name: "state", values: ["available"] },
          ],
        },
        this.ctx.invokeOpts,
      ).id;
      this.lookups.set(wanted.name, id);
    }
    return id;
  }
}
