// The records the service keeps: stacks, their updates and deployments. Field names of the wire types
// (Deployment, UpdateProgram) follow the Pulumi client's apitype package; the records themselves are this
// fixture's own layout on disk (see store.ts).

/** apitype.UntypedDeployment: `deployment` is the schema-versioned state, opaque here. */
export interface UntypedDeployment {
  version: number;
  features?: string[];
  deployment: unknown;
}

/** The update kinds the client creates through `POST .../<kind>`, plus stack imports. */
export type UpdateKind = "update" | "preview" | "refresh" | "destroy" | "import";
export const PROGRAM_UPDATE_KINDS: readonly UpdateKind[] = ["update", "preview", "refresh", "destroy"];

/** apitype.UpdateStatus values, plus "cancelled" (what `pulumi cancel` leaves). */
export type UpdateStatus = "not started" | "running" | "succeeded" | "failed" | "cancelled";

export interface ConfigValue {
  string: string;
  secret: boolean;
  object: boolean;
}

export interface StackRecord {
  /** Internal id: survives renames, names the stack's folder, and binds its secrets. */
  id: string;
  orgName: string;
  projectName: string;
  stackName: string;
  tags: Record<string, string>;
  /** Versions of the state: bumped by each started non-preview update and each import. */
  version: number;
  /** The update `pulumi cancel` targets: the running one if any, else the newest created. */
  activeUpdate: string;
  createdAt: number;
  /** Unix seconds of the last finished non-preview update or import. */
  lastUpdate?: number;
  /** apitype.StackConfig, as the client sent it on create or `PUT .../config`. */
  config?: unknown;
}

export interface UpdateRecord {
  id: string;
  stackId: string;
  kind: UpdateKind;
  status: UpdateStatus;
  /** The user whose token created it. */
  author: string;
  /** Unix seconds. */
  createdAt: number;
  startTime?: number;
  endTime?: number;
  /** The stack version this update writes (previews: the version they looked at). */
  version?: number;
  leaseToken?: string;
  /** Unix milliseconds after which the lease token is refused. */
  leaseExpiresAt?: number;
  message: string;
  environment: Record<string, string>;
  config: Record<string, ConfigValue>;
  /** The highest sequence number of a verbatim checkpoint taken. */
  checkpointSequence?: number;
  /** From the last summary event the engine posted. */
  resourceChanges?: Record<string, number>;
}

/** The record of a stack's current state before any update wrote one (what the service exports). */
export function emptyDeployment(): UntypedDeployment {
  return { version: 3, deployment: { manifest: { time: new Date().toISOString(), magic: "", version: "" } } };
}

/** Number of resources in a deployment (schema v1-v4 all keep them in `resources`). */
export function resourceCount(deployment: UntypedDeployment | undefined): number {
  const resources = (deployment?.deployment as { resources?: unknown } | undefined)?.resources;
  return Array.isArray(resources) ? resources.length : 0;
}
