// What a cloud model declares: its provider configuration, and per resource type how inputs are
// checked, which changes replace, how ids and outputs are made, and what the cloud refuses. The generic
// provider (provider.ts) runs these declarations for every engine call.
import type { Checker, CheckFailure } from "./check-kit.js";
import type { FaultError, FaultTarget } from "./faults.js";
import type { CloudName, StoredResource } from "./store.js";
import type { JsonObject } from "./values.js";

/** The identity of a created resource; null while previewing a create (outputs then are unknown). */
export interface Ident {
  id: string;
  /** The store counter at creation; addresses derive from it. */
  serial: number;
  /** Its public address when booting is on: a loopback address of its own (boot/loopback.ts). */
  address?: string;
}

/** What a booted instance gets from its cloud, as cloud-init on the VM reads it. */
export interface BootSpec {
  /** The user data as the VM receives it (decoded the cloud's way; may still be gzip, cloud-init's job). */
  userData: Buffer;
  hostname: string;
  /** The cloud's instance id (meta-data `instance-id`). */
  instanceId: string;
  /** Keys the cloud hands cloud-init as the instance's own (meta-data `public-keys`). */
  publicKeys: string[];
  /** The resource whose public address is the instance's (itself, or an Azure public IP); null for none. */
  addressOwner: string | null;
}

/** What a kind sees of the world: its provider's config and the resources of its cloud. */
export interface Ctx<C> {
  config: C;
  resources: Record<string, StoredResource>;
  /** The logical (program) name of the resource being handled. */
  logicalName: string;
}

/** Thrown for what the real cloud would refuse; the message is the cloud's text. */
export class CloudError extends Error {}

/** An instance create as fault rules and error texts see it. */
export interface FaultSubject extends FaultTarget {
  /** The zone as the cloud writes it in messages. */
  zone: string;
  name: string;
  /** The resource's path or id as the cloud names it in messages. */
  path: string;
  /** GCP: a TPU VM rather than a Compute Engine instance. */
  tpu?: boolean;
  /** GCP: the project. */
  project?: string;
  /** AWS: the region's other zones, which the capacity message suggests. */
  otherZones?: string[];
  /** Azure: the VM asked for a zone (zonal vs regional allocation failure). */
  zonal?: boolean;
  /** AWS: the AMI (InvalidAMIID texts). */
  image?: string;
  /** GCP: the regional quota metric a create of this machine counts against. */
  quotaMetric?: string;
}

export interface ResourceKind<C> {
  type: string;
  /** The name property the provider fills when absent (`<logical name>-<7 hex>`). */
  nameProperty?: string;
  /** The provider's own autoname where it is not `<logical name>-<7 hex>` (a role assignment's GUID). */
  autoName?: (logicalName: string, seed: string) => string;
  /** Property paths whose change forces a replacement (everything else updates in place). */
  replaceOn: readonly string[];
  /** Further replace rules that depend on the values (e.g. a replace-on-change flag, a shrink). */
  replaceIf?(olds: JsonObject, news: JsonObject): string[];
  check(c: Checker, config: C): void;
  id(inputs: JsonObject, serial: number, ctx: Ctx<C>): string;
  /** The outputs for these inputs; generated values are UNKNOWN when `ident` is null. */
  render(inputs: JsonObject, ident: Ident | null, ctx: Ctx<C>): JsonObject;
  /** Throws a CloudError for what the cloud refuses at create (missing references, conflicts). */
  beforeCreate?(inputs: JsonObject, id: string, ctx: Ctx<C>): void;
  beforeUpdate?(old: StoredResource, news: JsonObject, ctx: Ctx<C>): void;
  beforeDelete?(res: StoredResource, ctx: Ctx<C>): void;
  /** Ids the cloud deletes along with this resource. */
  cascade?(res: StoredResource, ctx: Ctx<C>): string[];
  /** Present for the instance kinds fault rules apply to. */
  faultSubject?(inputs: JsonObject, ctx: Ctx<C>): FaultSubject;
  /** Whether a create gets a public address (booting on: a loopback address, released on delete). */
  publicAddress?(inputs: JsonObject): boolean;
  /**
   * A booted instance whose guest powered itself off (its container is no longer running): "terminated"
   * when the cloud deletes it then (AWS with instanceInitiatedShutdownBehavior terminate), else the
   * outputs of the stopped instance. Absent: the record is left as it is.
   */
  poweredOff?(res: StoredResource): "terminated" | JsonObject;
  /** Present for the instance kinds that boot a container when booting is on. */
  boot?(inputs: JsonObject, id: string, outputs: JsonObject, ctx: Ctx<C>): BootSpec;
}

/** An invoke: its arguments, the provider's config, and (for the list invokes) the cloud's resources. */
export type Invoke<C> = (
  args: JsonObject,
  config: C,
  resources: Readonly<Record<string, StoredResource>>,
) => JsonObject;

export interface CloudModel<C> {
  cloud: CloudName;
  /** The Pulumi package name, as in `pulumi-resource-<package>`. */
  pkg: string;
  /** The version GetPluginInfo reports: the pinned SDK's. */
  version: string;
  /** Provider config from Configure (explicit provider inputs, or `<pkg>:<key>` stack config). */
  configure(values: JsonObject, env: NodeJS.ProcessEnv): C;
  checkConfig(values: JsonObject, env: NodeJS.ProcessEnv): CheckFailure[];
  /** Provider config keys whose change replaces the provider (and so every resource it manages). */
  configReplaceOn: readonly string[];
  kinds: readonly ResourceKind<C>[];
  invokes: Readonly<Record<string, Invoke<C>>>;
  /** The variants fault rules may name in `code`, per error; the first is the default. */
  faultCodes(error: FaultError): readonly string[];
  faultMessage(subject: FaultSubject, error: FaultError, code: string | undefined, requestId: string): string;
  /** The cloud's text for a create whose id is taken. */
  alreadyExists(type: string, id: string, requestId: string): string;
}
