// Where a pool's instances live: the configured VPC or the region's default VPC, and per instance a
// configured subnet or the default subnet of the instance's zone. Lookups are memoized, so ten instances
// in one zone cost one `getSubnet`, and a configured VPC/subnet list costs none.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import { UserError } from "../../errors.js";
import type { AwsPoolContext } from "./context.js";
import { isZoneName } from "./zones.js";

export class AwsNetwork {
  /** The VPC id: configured, or the region's default VPC. */
  readonly vpcId: pulumi.Input<string>;
  private readonly zoneSubnets = new Map<string, pulumi.Output<ec2.GetSubnetResult>>();
  private anySubnetId: pulumi.Output<string> | undefined;

  constructor(private readonly ctx: AwsPoolContext) {
    this.vpcId = ctx.spec.network.vpc ?? ec2.getVpcOutput({ default: true }, ctx.invokeOpts).id;
  }

  /**
   * The subnet of the spec's `index`-th instance. Configured subnets are used in order, round-robin, and
   * the instance's zone is then the subnet's (no lookup: the configuration is trusted as written).
   * Otherwise the default subnet of the zone (an AZ id such as `use1-az4`, the same physical zone in
   * every account, unlike `us-east-1a`; or such a name, where the zone is a volume's, which EC2 gives by
   * name), or of any zone when the spec leaves it to the cloud.
   */
  subnetId(index: number, zone: string | null): pulumi.Input<string> {
    const configured = this.ctx.spec.network.subnets ?? [];
    const pick = configured[index % Math.max(configured.length, 1)];
    if (pick !== undefined) return pick;
    return zone === null ? this.anyDefaultSubnetId() : this.zoneSubnet(zone).id;
  }

  /**
   * The AZ name (`us-east-1a`) of a zone (an id, or a name as it is) in this account, for a volume no
   * instance places; for an id with configured subnets, the first subnet's AZ, as that is where an
   * instance would go.
   */
  availabilityZone(zone: string | null): pulumi.Output<string> {
    // A zone name is already what EBS takes.
    if (zone !== null && isZoneName(this.ctx.spec.region, zone)) return pulumi.output(zone);
    const id = this.ctx.spec.network.subnets?.[0];
    if (id === undefined && zone !== null) return this.zoneSubnet(zone).availabilityZone;
    return ec2.getSubnetOutput({ id: id ?? this.anyDefaultSubnetId() }, this.ctx.invokeOpts).availabilityZone;
  }

  private zoneSubnet(zone: string): pulumi.Output<ec2.GetSubnetResult> {
    let subnet = this.zoneSubnets.get(zone);
    if (subnet === undefined) {
      subnet = ec2.getSubnetOutput(
        {
          filters: [
            { name: "vpc-id", values: [this.vpcId] },
            {
              name: isZoneName(this.ctx.spec.region, zone) ? "availability-zone" : "availability-zone-id",
              values: [zone],
            },
            { name: "default-for-az", values: ["true"] },
          ],
        },
        this.ctx.invokeOpts,
      );
      this.zoneSubnets.set(zone, subnet);
    }
    return subnet;
  }

  /** Any default subnet of the VPC; sorted ids keep the choice stable from one run to the next. */
  private anyDefaultSubnetId(): pulumi.Output<string> {
    return (this.anySubnetId ??= ec2
      .getSubnetsOutput(
        {
          filters: [
            { name: "vpc-id", values: [this.vpcId] },
            { name: "default-for-az", values: ["true"] },
          ],
        },
        this.ctx.invokeOpts,
      )
      .ids.apply((ids) => {
        const first = [...ids].sort()[0];
        if (first === undefined)
          throw new UserError(
            "aws-no-default-subnet",
            `VPC ${this.ctx.spec.network.vpc ?? "(default)"} has no default subnet`,
            "set `subnets` of the AWS backend in ~/.dstack/config.yml",
          );
        return first;
      }));
  }
}
