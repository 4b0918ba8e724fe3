// The fake AWS account's geography: every region has one default VPC (10.0.0.0/16) with one default
// subnet (a /20) per availability zone. Zone names map to AZ ids in order (a -> az1, b -> az2, ...),
// the same in every region; real accounts shuffle that mapping, the fake does not.
import { hexOf } from "../core/hash.js";

export const ACCOUNT_ID = "123456789012";
export const VPC_CIDR = "10.0.0.0/16";

const REGION_RE =
  /^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-(\d)$/;
const DIRECTIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  southeast: "se",
  northwest: "nw",
  southwest: "sw",
};
/** Zone letters per region; every other region has a, b, c. */
const LETTERS: Record<string, string> = { "us-east-1": "abcdef", "us-west-2": "abcd" };

export interface Zone {
  /** `us-east-1a` */
  name: string;
  /** `use1-az1` */
  id: string;
  index: number;
  subnetId: string;
  /** The default subnet's block: 10.0.<16 * index>.0/20. */
  cidr: string;
}

export function isRegion(region: string): boolean {
  return REGION_RE.test(region);
}

/** `us-east-1` -> `use1`, the prefix of its AZ ids. */
export function regionCode(region: string): string {
  const m = REGION_RE.exec(region);
  if (m === null) return region;
  return `${m[1]}${DIRECTIONS[m[2] ?? ""] ?? ""}${m[3]}`;
}

export function zonesOf(region: string): Zone[] {
  const letters = LETTERS[region] ?? "abc";
  return [...letters].map((letter, index) => {
    const name = `${region}${letter}`;
    return {
      name,
      id: `${regionCode(region)}-az${index + 1}`,
      index,
      subnetId: `subnet-${hexOf(`subnet:${name}`, 17)}`,
      cidr: `10.0.${16 * index}.0/20`,
    };
  });
}

export function zoneByName(region: string, name: string): Zone | undefined {
  return zonesOf(region).find((z) => z.name === name);
}

export function zoneBySubnet(region: string, subnetId: string): Zone | undefined {
  return zonesOf(region).find((z) => z.subnetId === subnetId);
}

export function defaultVpcId(region: string): string {
  return `vpc-${hexOf(`vpc:${region}`, 17)}`;
}

export function arn(region: string, resource: string): string {
  return `arn:aws:ec2:${region}:${ACCOUNT_ID}:${resource}`;
}
