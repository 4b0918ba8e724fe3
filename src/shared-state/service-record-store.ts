// The record store on a Pulumi service (issue 15): each record is a stack of its own, project
// `dstack-<kind>` (dstack-runs, dstack-pools, ...), stack = the record's key, in the team's organization;
// the record is the stack's one output, `record`, so the service's UI and `pulumi stack ls` show every
// run, pool and fleet. A write is an update of that stack (create, start, checkpoint, complete): the
// service's own lock makes concurrent writers of one record take turns, and `update` reads the record
// under that lock, so no change is lost. No secret is in a record (env values are redacted).
import { decodeRecord, encodeRecord } from "../home/record-codec.js";
import {
  collectListing,
  RECORD_KEY,
  RecordError,
  type RecordKind,
  type RecordListing,
  type RecordStore,
} from "../home/record-store.js";
import { UserError } from "../errors.js";
import { serviceCall, serviceMessage, type ServiceLocation } from "./service-api.js";
import { sleepSync } from "./sync-bridge.js";

/** How long a writer waits for another writer of the same record (its update holds the stack). */
const BUSY_TRIES = 200;
const BUSY_PAUSE_MS = 50;

const STACK_TYPE = "pulumi:pulumi:Stack";

/** A deployment whose one resource, the stack, has the record as its output. */
export function recordDeployment(project: string, stack: string, text: string | undefined): unknown {
  return {
    manifest: { time: new Date().toISOString(), magic: "", version: "" },
    resources:
      text === undefined
        ? []
        : [
            {
              urn: `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`,
              custom: false,
              type: STACK_TYPE,
              outputs: { record: text },
            },
          ],
  };
}

/** The `record` output of an exported deployment, or undefined (no state yet). */
export function recordOf(exported: unknown): string | undefined {
  const resources = (exported as { deployment?: { resources?: unknown[] } } | null)?.deployment?.resources;
  const stack = (resources ?? []).find((r) => (r as { type?: string }).type === STACK_TYPE) as
    { outputs?: { record?: unknown } } | undefined;
  const record = stack?.outputs?.record;
  return typeof record === "string" ? record : undefined;
}

export class ServiceRecordStore<T> implements RecordStore<T> {
  private readonly project: string;

  constructor(
    private readonly kind: RecordKind<T>,
    private readonly location: ServiceLocation,
    folder: string,
  ) {
    this.project = `dstack-${folder}`;
  }

  private stackPath(key: string): string {
    if (!RECORD_KEY.test(key)) throw new Error(`not a ${this.kind.noun} record key: ${JSON.stringify(key)}`);
    return `/api/stacks/${this.location.org}/${this.project}/${key}`;
  }

  private where(key: string): string {
    return `${this.location.url} ${this.location.org}/${this.project}/${key}`;
  }

  private fail(doing: string, reply: { status: number; json: unknown }): UserError {
    return new UserError(
      "state-backend",
      `the Pulumi service at ${this.location.url} answered HTTP ${reply.status} (${serviceMessage({ status: reply.status, json: reply.json })}) while ${doing}`,
    );
  }

  private readText(key: string): string | undefined {
    const reply = serviceCall(this.location, "GET", `${this.stackPath(key)}/export`);
    if (reply.status === 404) return undefined;
    if (reply.status !== 200) throw this.fail(`reading ${this.where(key)}`, reply);
    return recordOf(reply.json);
  }

  get(key: string): T | undefined {
    const text = this.readText(key);
    return text === undefined ? undefined : decodeRecord(this.kind, text, this.where(key));
  }

  list(): RecordListing<T> {
    const query = `?organization=${encodeURIComponent(this.location.org)}&project=${encodeURIComponent(this.project)}`;
    const reply = serviceCall(this.location, "GET", `/api/user/stacks${query}`);
    if (reply.status !== 200) throw this.fail(`listing ${this.project}`, reply);
    const stacks = (
      (reply.json as { stacks?: { stackName: string; projectName: string }[] }).stacks ?? []
    ).filter((s) => s.projectName === this.project);
    return collectListing(
      this.kind,
      stacks.map((s) => () => {
        const text = this.readText(s.stackName);
        return text === undefined ? undefined : decodeRecord(this.kind, text, this.where(s.stackName));
      }),
    );
  }

  put(record: T): void {
    const key = this.kind.key(record);
    this.write(key, () => encodeRecord(this.kind, record));
  }

  remove(key: string): void {
    const reply = serviceCall(this.location, "DELETE", `${this.stackPath(key)}?force=true`);
    if (reply.status !== 204 && reply.status !== 200 && reply.status !== 404)
      throw this.fail(`deleting ${this.where(key)}`, reply);
  }

  update(key: string, change: (current: T) => T | undefined): T | undefined {
    // A record that is not there is not created by an update (nor its stack).
    if (this.readText(key) === undefined) return undefined;
    let result: T | undefined;
    this.write(key, (currentText) => {
      if (currentText === undefined) return undefined;
      const current = decodeRecord(this.kind, currentText, this.where(key));
      const next = change(current);
      result = next ?? current;
      if (next === undefined) return undefined;
      if (this.kind.key(next) !== key) throw new Error(`an update may not rename ${this.kind.noun} ${key}`);
      return encodeRecord(this.kind, next);
    });
    return result;
  }

  /**
   * One locked write: the stack is created if missing, an update started (waiting while another
   * writer's runs), the record read under the lock and `text` of it checkpointed; undefined writes
   * nothing. The update always completes, so the lock never outlives the call.
   */
  private write(key: string, text: (current: string | undefined) => string | undefined): void {
    const session = startLockedUpdate(this.location, this.project, key, `dstack: ${this.kind.noun} ${key}`);
    let status = "failed";
    try {
      const next = text(this.readText(key));
      if (next !== undefined) session.checkpoint(recordDeployment(this.project, key, next));
      status = "succeeded";
    } finally {
      session.complete(status);
    }
  }
}

export interface LockedUpdate {
  checkpoint: (deployment: unknown) => void;
  complete: (status: string) => void;
  /** Extends the lease, for a lock held longer than one lease. */
  renew: (seconds: number) => void;
  /** The update's path, for `pulumi cancel` hints. */
  path: string;
}

/**
 * Starts an update of the stack (created if missing), which the service locks: another update of it
 * waits or fails with 409. `tries` 409s are waited out (BUSY_PAUSE_MS apart); then the refusal.
 */
export function startLockedUpdate(
  location: ServiceLocation,
  project: string,
  stack: string,
  message: string,
  tries = BUSY_TRIES,
): LockedUpdate {
  const where = `${location.org}/${project}/${stack}`;
  const fail = (doing: string, reply: { status: number; json: unknown }): UserError =>
    new UserError(
      "state-backend",
      `the Pulumi service at ${location.url} answered HTTP ${reply.status} (${serviceMessage(reply)}) while ${doing} ${where}`,
    );
  const path = `/api/stacks/${where}`;
  const created = serviceCall(location, "POST", `/api/stacks/${location.org}/${project}`, {
    stackName: stack,
  });
  if (created.status !== 200 && created.status !== 409) throw fail("creating", created);
  const made = serviceCall(location, "POST", `${path}/update`, {
    name: project,
    runtime: "nodejs",
    main: "",
    description: "dstack record",
    options: {},
    config: {},
    metadata: { message, environment: {} },
  });
  if (made.status !== 200) throw fail("writing", made);
  const updatePath = `${path}/update/${(made.json as { updateID: string }).updateID}`;
  for (let tried = 0; ; tried++) {
    const started = serviceCall(location, "POST", updatePath, {});
    if (started.status === 200) {
      const lease = `update-token ${(started.json as { token: string }).token}`;
      return {
        path: updatePath,
        checkpoint: (deployment) => {
          const reply = serviceCall(
            location,
            "PATCH",
            `${updatePath}/checkpoint`,
            { version: 3, deployment },
            lease,
          );
          if (reply.status !== 204 && reply.status !== 200) throw fail("writing", reply);
        },
        complete: (status) => {
          serviceCall(location, "POST", `${updatePath}/complete`, { status }, lease);
        },
        renew: (seconds) => {
          serviceCall(location, "POST", `${updatePath}/renew_lease`, { duration: seconds }, lease);
        },
      };
    }
    if (started.status !== 409 || tried + 1 >= tries) {
      serviceCall(location, "POST", `${updatePath}/cancel`);
      throw new StackBusy(where, serviceMessage(started));
    }
    sleepSync(BUSY_PAUSE_MS);
  }
}

/** The stack stayed locked by another update. */
export class StackBusy extends RecordError {
  constructor(stack: string, detail: string) {
    super(
      "record-invalid",
      stack,
      `${stack} stayed locked by another update (${detail})`,
      `if no dstack is writing it, \`pulumi cancel --stack ${stack}\` releases it`,
    );
  }
}
