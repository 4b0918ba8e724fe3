// The life of an update (of every kind: update, preview, refresh, destroy; a resource import is an
// "update"): create, start (takes the stack's lock and a lease), checkpoints and engine events under the
// lease, renewals, completion; `pulumi cancel` from outside; the status the CLI polls.
//
// The lock: at most one update per stack is "running". Starting another answers 409 with
// "Conflict: Another update is currently in progress." whatever its kind (previews included). A running
// update whose lease expired (its CLI died) keeps the lock until `pulumi cancel`, as on the service,
// where a crashed update blocks the stack until cancelled.
import { randomBytes, randomUUID } from "node:crypto";
import type { Handler, ServiceState } from "../context.js";
import { ok, userOf } from "../context.js";
import { requireStack } from "../access.js";
import { badRequest, conflict, notFound, updateInProgress } from "../errors.js";
import type { ConfigValue, StackRecord, UpdateKind, UpdateRecord } from "../model.js";
import { emptyDeployment, PROGRAM_UPDATE_KINDS } from "../model.js";
import { readDeployment } from "./deployment-body.js";
import { requireLease, requireUpdateOfPath } from "./lease.js";

const seconds = (state: ServiceState): number => Math.floor(state.now() / 1000);

function programKind(kind: string | undefined): UpdateKind {
  const found = PROGRAM_UPDATE_KINDS.find((k) => k === kind);
  if (found === undefined) throw notFound(`unknown update kind '${kind}'`);
  return found;
}

/** A finished non-preview update leaves its state as the stack's version `update.version`. */
function recordVersion(state: ServiceState, stack: StackRecord, update: UpdateRecord): void {
  if (update.kind === "preview" || update.version === undefined) return;
  state.store.saveVersionDeployment(
    stack,
    update.version,
    state.store.deployment(stack) ?? emptyDeployment(),
  );
  state.store.saveStack({ ...stack, lastUpdate: update.endTime ?? seconds(state) });
}

/** POST /api/stacks/{org}/{project}/{stack}/{update|preview|refresh|destroy} apitype.UpdateProgramRequest */
export const createUpdate: Handler = (req, state) => {
  const kind = programKind(req.params.kind);
  const stack = requireStack(req, state);
  const body = (req.body ?? {}) as {
    config?: Record<string, ConfigValue>;
    metadata?: { message?: string; environment?: Record<string, string> };
  };
  const update: UpdateRecord = {
    id: randomUUID(),
    stackId: stack.id,
    kind,
    status: "not started",
    author: userOf(req).name,
    createdAt: seconds(state),
    message: body.metadata?.message ?? "",
    environment: body.metadata?.environment ?? {},
    config: body.config ?? {},
  };
  state.store.saveUpdate(update);
  // `pulumi cancel` cancels activeUpdate: keep it on the lock holder while one runs.
  if (state.store.runningUpdate(stack) === undefined)
    state.store.saveStack({ ...stack, activeUpdate: update.id });
  return ok({
    updateID: update.id,
    requiredPolicies: [],
    messages: [],
    aiSettings: { copilotIsEnabled: false },
  });
};

/** POST .../{kind}/{updateID} apitype.StartUpdateRequest {tags, journalVersion} → apitype.StartUpdateResponse */
export const startUpdate: Handler = (req, state) => {
  const { stack, update } = requireUpdateOfPath(req, state);
  requireStack(req, state); // the user's access to the stack
  if (update.status !== "not started") throw conflict("The update has already been started.");
  if (state.store.runningUpdate(stack) !== undefined) throw updateInProgress();
  const body = (req.body ?? {}) as { tags?: Record<string, string> };
  const version = update.kind === "preview" ? stack.version : stack.version + 1;
  const token = randomBytes(24).toString("hex");
  const leaseExpiresAt = state.now() + state.maxLeaseSeconds * 1000;
  // journalVersion is not answered (0): the client then sends whole checkpoints, not journal entries.
  state.store.saveUpdate({
    ...update,
    status: "running",
    startTime: seconds(state),
    version,
    leaseToken: token,
    leaseExpiresAt,
  });
  const tags = body.tags !== undefined && Object.keys(body.tags).length > 0 ? { ...body.tags } : stack.tags;
  state.store.saveStack({
    ...stack,
    version: Math.max(stack.version, version),
    activeUpdate: update.id,
    tags,
  });
  return ok({ version, token, tokenExpiration: Math.floor(leaseExpiresAt / 1000) });
};

/** GET .../{kind}/{updateID} apitype.UpdateResults: no stored display events, a token while it runs. */
export const getUpdateStatus: Handler = (req, state) => {
  requireStack(req, state);
  const { update } = requireUpdateOfPath(req, state);
  return ok({
    status: update.status,
    events: [],
    ...(update.status === "running" || update.status === "not started"
      ? { continuationToken: update.id }
      : {}),
  });
};

/** PATCH .../checkpoint apitype.PatchUpdateCheckpointRequest {version, features, deployment}. */
export const patchCheckpoint: Handler = (req, state) => {
  const { stack, update } = requireLease(req, state);
  const body = (req.body ?? {}) as { version?: unknown; features?: unknown; deployment?: unknown };
  const deployment = readDeployment(body);
  if (update.kind !== "preview") state.store.saveDeployment(stack, deployment);
  return ok();
};

/** PATCH .../checkpointverbatim {version, untypedDeployment, sequenceNumber}: the same, as sent. */
export const patchCheckpointVerbatim: Handler = (req, state) => {
  const { stack, update } = requireLease(req, state);
  const body = (req.body ?? {}) as { untypedDeployment?: unknown; sequenceNumber?: unknown };
  const deployment = readDeployment(body.untypedDeployment);
  const sequence = typeof body.sequenceNumber === "number" ? body.sequenceNumber : undefined;
  // A retried or late request must not overwrite a newer checkpoint.
  if (
    sequence !== undefined &&
    update.checkpointSequence !== undefined &&
    sequence <= update.checkpointSequence
  )
    return ok();
  if (update.kind !== "preview") state.store.saveDeployment(stack, deployment);
  if (sequence !== undefined) state.store.saveUpdate({ ...update, checkpointSequence: sequence });
  return ok();
};

function recordEvents(state: ServiceState, update: UpdateRecord, events: unknown[]): void {
  state.store.appendEvents(update, events);
  let changes: Record<string, number> | undefined;
  for (const e of events) {
    const summary = (e as { summaryEvent?: { resourceChanges?: Record<string, number> } } | null)
      ?.summaryEvent;
    if (summary?.resourceChanges !== undefined) changes = summary.resourceChanges;
  }
  if (changes !== undefined) state.store.saveUpdate({ ...update, resourceChanges: changes });
}

/** POST .../events/batch apitype.EngineEventBatch {events}. */
export const postEngineEventBatch: Handler = (req, state) => {
  const { update } = requireLease(req, state);
  const events = (req.body as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) throw badRequest("the batch needs an 'events' array");
  recordEvents(state, update, events);
  return ok();
};

/** POST .../events: one apitype.EngineEvent. */
export const postEngineEvent: Handler = (req, state) => {
  const { update } = requireLease(req, state);
  recordEvents(state, update, [req.body]);
  return ok();
};

/** GET .../events: what the engine posted, in order (apitype.GetUpdateEventsResponse, one page). */
export const getEngineEvents: Handler = (req, state) => {
  requireStack(req, state);
  const { update } = requireUpdateOfPath(req, state);
  return ok({ events: state.store.events(update) });
};

/** POST .../renew_lease apitype.RenewUpdateLeaseRequest {duration} → {token, tokenExpiration}. */
export const renewLease: Handler = (req, state) => {
  const { update } = requireLease(req, state);
  const asked = (req.body as { duration?: unknown } | undefined)?.duration;
  const duration =
    typeof asked === "number" && asked > 0 ? Math.min(asked, state.maxLeaseSeconds) : state.maxLeaseSeconds;
  const leaseExpiresAt = state.now() + duration * 1000;
  // The same token, valid longer: requests already in flight with it stay valid.
  state.store.saveUpdate({ ...update, leaseExpiresAt });
  return ok({ token: update.leaseToken, tokenExpiration: Math.floor(leaseExpiresAt / 1000) });
};

/** POST .../complete apitype.CompleteUpdateRequest {status: succeeded|failed|cancelled}. */
export const completeUpdate: Handler = (req, state) => {
  const { stack, update } = requireLease(req, state);
  const status = (req.body as { status?: unknown } | undefined)?.status;
  if (status !== "succeeded" && status !== "failed" && status !== "cancelled")
    throw badRequest(`'${String(status)}' is not a final update status`);
  const done: UpdateRecord = { ...update, status, endTime: seconds(state) };
  state.store.saveUpdate(done);
  recordVersion(state, stack, done);
  return ok();
};

/** POST .../cancel (user token): ends a running or not-started update, which releases the stack's lock. */
export const cancelUpdate: Handler = (req, state) => {
  requireStack(req, state);
  const { stack, update } = requireUpdateOfPath(req, state);
  if (update.status !== "running" && update.status !== "not started")
    throw conflict("The update has already completed.");
  const cancelled: UpdateRecord = { ...update, status: "cancelled", endTime: seconds(state) };
  state.store.saveUpdate(cancelled);
  if (update.status === "running") recordVersion(state, stack, cancelled);
  return ok();
};
