// The compiled description of one cloud pool: plain, versioned data that the CLI builds from a
// configuration and an offer, and that a generated Pulumi project keeps beside its program as JSON.
// Every cloud backend (aws, gcp, azure) turns exactly this into resources, so nothing above the stack
// builder branches on the cloud. No secret ever belongs here: it is committed and reaches user data.

import type { RegistryIdentity } from "./registry/registry-spec.js";

export const POOL_SPEC_VERSION = 1;

export const CLOUD_BACKENDS = ["aws", "gcp", "azure"] as const;
export type CloudBackend = (typeof CLOUD_BACKENDS)[number];

export interface PoolSpec {
  pool_spec_version: typeof POOL_SPEC_VERSION;
  /** The dstack project (a team's namespace), used in names and tags. */
  project: string;
  /** The pool: a fleet's name, or the run's name for a run's own instance. */
  pool: string;
  backend: CloudBackend;
  /** One region per pool: AWS region, GCP region, Azure location. */
  region: string;
  network: NetworkSettings;
  /** TCP ports opened to the world besides 22 (the runs' declared container ports). */
  ports: number[];
  /** OpenSSH public keys allowed to log in (never private keys). */
  ssh_public_keys: string[];
  instances: PoolInstanceSpec[];
  volumes: PoolVolumeSpec[];
  /**
   * The identity of the project's registry stack (registry/registry-spec.ts) the instances launch with,
   * to pull and push prebuilt images without credentials in user data. Absent: instances get no identity
   * (exactly as before registries existed), so no existing stack changes.
   */
  registry?: RegistryIdentity;
}

/** Backend settings from ~/.dstack/config.yml; everything optional, defaults are the clouds' own. */
export interface NetworkSettings {
  /** AWS: VPC id (default VPC when absent). GCP: network name ("default" when absent). */
  vpc?: string;
  /** AWS subnet ids / GCP subnetwork names; absent = the VPC's default subnets. */
  subnets?: string[];
  /** GCP project id (else the provider's usual sources: GOOGLE_CLOUD_PROJECT, gcloud). */
  project?: string;
  /** Azure subscription id (else ARM_SUBSCRIPTION_ID / az login). */
  subscription_id?: string;
  /** Azure resource group; absent = one is created for the pool. */
  resource_group?: string;
}

export interface PoolInstanceSpec {
  /** dstack's instance name, unique in the pool, e.g. `a100-pool-0`. */
  name: string;
  /** The provider's type: `p4d.24xlarge`, `a2-highgpu-1g`, `Standard_NC24ads_A100_v4`. */
  instance_type: string;
  /**
   * GCP only: the accelerator attached to an N1 machine (`nvidia-tesla-t4` x count), or for a TPU the
   * TPU accelerator type (`v5litepod-8`, count 1). null elsewhere.
   */
  accelerator: { type: string; count: number } | null;
  /** GCP TPU VM instead of a Compute Engine instance. */
  tpu: boolean;
  gpu_vendor: string | null;
  gpu_count: number;
  /** AWS AZ id (`use1-az4`), GCP zone (`us-central1-a`), Azure zone (`1`); null = the cloud picks. */
  zone: string | null;
  spot: boolean;
  /** USD per hour cap for spot; null = up to the on-demand price. */
  max_price: number | null;
  /** AWS capacity reservation id, GCP reservation name, Azure capacity reservation group id. */
  reservation: string | null;
  /** Root disk size in GB. */
  disk_gb: number;
  /** AMI id / GCP image / Azure image URN; null = the backend's default GPU image. */
  image: string | null;
  /** Names of this pool's volumes attached to the instance. */
  volumes: string[];
  /**
   * The instance's idle_duration in seconds as created (null: never torn down; absent in specs written
   * before the self-stop backstop). Its agent powers it off that long plus a grace period (at most 2
   * minutes) after its last job when no dstack has torn it down: on AWS that terminates it.
   */
  idle_duration_s?: number | null;
  /**
   * The keys the instance was created with (its creator's, on a shared backend): its user data keeps
   * them whoever updates the pool's stack later. Absent: the pool's `ssh_public_keys`.
   */
  ssh_public_keys?: string[];
}

/** The keys an instance's user data authorizes: its own, else the pool's. */
export const instanceKeys = (spec: PoolSpec, instance: PoolInstanceSpec): string[] =>
  instance.ssh_public_keys ?? spec.ssh_public_keys;

export interface PoolVolumeSpec {
  name: string;
  size_gb: number;
  /** Zone as in PoolInstanceSpec.zone; a network volume lives in one zone. */
  zone: string | null;
  /** An existing cloud volume to attach instead of creating one (then size is informative). */
  volume_id: string | null;
}

/** What a pool stack exports (`pulumi stack output`), the same shape for every backend. */
export interface PoolOutputs {
  instances: {
    name: string;
    id: string;
    zone: string;
    public_ip: string;
    private_ip: string;
    ssh_user: string;
    ssh_port: number;
    spot: boolean;
  }[];
  volumes: { name: string; id: string }[];
}
