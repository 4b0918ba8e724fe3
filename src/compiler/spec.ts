// The compiler's output: plain, versioned data that the catalog, planner, stacks and agent consume
// (DESIGN.md style 10). Sizes are GB, durations seconds, an exact value is a range with min = max.
import type { CpuSpec } from "./grammar/cpu.js";
import type { GpuSpec } from "./grammar/gpu.js";
import type { PortMapping } from "./grammar/ports.js";
import type { Range } from "./grammar/range.js";
import type { Duration } from "./grammar/units.js";
import type { FileMount, RepoMount } from "./grammar/code-mounts.js";
import type { VolumeMount } from "./grammar/volumes.js";
import type { MaybeSecret, Secret } from "./secret.js";
import type { ServiceFields } from "./spec-service.js";
import type { Backend, BackendName } from "./schema/backends.js";
import type { CREATION_POLICIES, IDES, RETRY_EVENTS, SPOT_POLICIES } from "./schema/fields.js";
import type { STARTUP_ORDERS, STOP_CRITERIA } from "./schema/profile-extras.js";

/** Bumped on any incompatible change of the shapes below; consumers refuse a newer major. */
export const SPEC_VERSION = 1;

export type { Backend, BackendName } from "./schema/backends.js";
export type SpotPolicy = (typeof SPOT_POLICIES)[number];
export type RetryEvent = (typeof RETRY_EVENTS)[number];
export type CreationPolicy = (typeof CREATION_POLICIES)[number];
export type Ide = (typeof IDES)[number];
export type StartupOrder = (typeof STARTUP_ORDERS)[number];
export type StopCriteria = (typeof STOP_CRITERIA)[number];

export interface ResourcesSpec {
  cpu: CpuSpec;
  memory: Range;
  shm_size: number | null;
  disk: { size: Range } | null;
  gpu: GpuSpec | null;
}

export interface RetrySpec {
  on_events: RetryEvent[];
  duration: number;
}

/** Where and how to provision: merged from CLI flags > configuration > profile > defaults. */
export interface PlacementSpec {
  /** As written: dstack backends this project does not provision stay here (see normalize/backends.ts). */
  backends: BackendName[] | null;
  regions: string[] | null;
  availability_zones: string[] | null;
  instance_types: string[] | null;
  reservation: string | null;
  spot_policy: SpotPolicy;
  max_price: number | null;
  retry: RetrySpec | null;
}

interface RunCommon extends PlacementSpec {
  spec_version: number;
  name: string | null;
  image: string | null;
  python: string | null;
  nvcc: boolean;
  user: string | null;
  privileged: boolean;
  entrypoint: string | null;
  working_dir: string;
  registry_auth: { username: string; password: Secret } | null;
  single_branch: boolean | null;
  env: Record<string, MaybeSecret>;
  resources: ResourcesSpec;
  volumes: VolumeMount[];
  /** At most one (as dstack); empty: the folder `apply` runs in goes to the working directory. */
  repos: RepoMount[];
  files: FileMount[];
  build: string[];
  max_duration: Duration;
  stop_duration: Duration;
  idle_duration: Duration;
  creation_policy: CreationPolicy;
  /** The fleets whose instances the run may be placed on; null: any pool's, or a new instance. */
  fleets: string[] | null;
  /** The pool (`dstack pool create`) whose idle instances the run reuses and that gets its new one; null: the default pool. */
  pool_name: string | null;
  /** docker: true: docker-in-docker (dstack's dind image, privileged; `privileged` is then true). */
  docker: boolean;
  /** The shell that runs commands, an absolute path; null: dstack's default (/bin/bash, /bin/sh with image). */
  shell: string | null;
  /** 0..100, default 0: higher-priority runs are provisioned first. */
  priority: number;
  utilization_policy: UtilizationPolicySpec | null;
  /** Cron expressions (UTC) the run starts at; null: it starts at once. */
  schedule: { cron: string[] } | null;
  startup_order: StartupOrder;
  stop_criteria: StopCriteria;
  /** Only these fleet instances may take the run; null: any. */
  instances: InstanceSelector[] | null;
  tags: Record<string, string> | null;
}

export interface UtilizationPolicySpec {
  min_gpu_utilization: number;
  /** Seconds, at least 300. */
  time_window: number;
}

export type InstanceSelector =
  | { name: string }
  | { hostname: string }
  | { fleet: { project: string | null; name: string }; instance: number };

/** One node group of a heterogeneous multi-node task; resources are its own, never the task's. */
export interface NodeGroupSpec {
  name: string;
  nodes: number;
  resources: ResourcesSpec;
  commands: string[];
  ports: PortMapping[];
}

export interface DevEnvironmentSpec extends RunCommon {
  type: "dev-environment";
  /** null: no IDE, SSH only (dstack's default). */
  ide: Ide | null;
  version: string | null;
  init: string[];
  inactivity_duration: Duration;
  ports: PortMapping[];
}

export interface TaskSpec extends RunCommon {
  type: "task";
  /** Empty with an image: the image's own entrypoint runs. */
  commands: string[];
  /** The total number of nodes (the sum over groups when there are groups). */
  nodes: number;
  /** Heterogeneous multi-node groups; null: one homogeneous group of `nodes`. */
  groups: NodeGroupSpec[] | null;
  ports: PortMapping[];
  inactivity_duration: null;
}

export interface ServiceSpec extends RunCommon, ServiceFields {
  type: "service";
  ports: PortMapping[];
  inactivity_duration: null;
}

export type RunSpec = DevEnvironmentSpec | TaskSpec | ServiceSpec;

export interface SshHostSpec {
  hostname: string;
  port: number;
  user: string | null;
  identity_file: string | null;
  internal_ip: string | null;
}

export interface FleetSpec extends PlacementSpec {
  spec_version: number;
  type: "fleet";
  name: string | null;
  nodes: { min: number; target: number; max: number | null };
  placement: "any" | "cluster";
  /** null when not written (any instance, as dstack's `unconstrained()`) and for SSH fleets. */
  resources: ResourcesSpec | null;
  env: Record<string, MaybeSecret>;
  blocks: number | "auto";
  ssh_config: { hosts: SshHostSpec[]; proxy_jump: SshHostSpec | null; network: string | null } | null;
  idle_duration: Duration;
}

export interface VolumeSpec {
  spec_version: number;
  type: "volume";
  name: string;
  backend: Backend;
  region: string;
  availability_zone: string | null;
  size: number | null;
  volume_id: string | null;
}

export type Spec = RunSpec | FleetSpec | VolumeSpec;
