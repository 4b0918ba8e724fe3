// The calls an update makes while it runs (checkpoints, engine events, lease renewal, completion) carry
// `Authorization: update-token <lease token>` instead of the user's token. This finds the update the path
// names and checks that the token is its lease and still valid.
import type { ApiRequest, ServiceState } from "../context.js";
import { conflict, forbidden, notFound, unauthorized } from "../errors.js";
import type { StackRecord, UpdateRecord } from "../model.js";

/** The update of the path, on the stack of the path (404 otherwise), for any credentials. */
export function requireUpdateOfPath(
  req: ApiRequest,
  state: ServiceState,
): { stack: StackRecord; update: UpdateRecord } {
  const update = state.store.update(req.params.update ?? "");
  const stack = update === undefined ? undefined : state.store.stackById(update.stackId);
  if (
    update === undefined ||
    stack === undefined ||
    stack.orgName !== req.params.org ||
    stack.projectName !== req.params.project ||
    stack.stackName !== req.params.stack
  )
    throw notFound(`Update '${req.params.update}' not found`);
  return { stack, update };
}

/**
 * The running update whose lease the request's update token is: a wrong token is 401; an update no longer
 * running (completed, or cancelled by `pulumi cancel`) is 409; an expired lease is 403, which the client
 * takes as "stop renewing".
 */
export function requireLease(
  req: ApiRequest,
  state: ServiceState,
): { stack: StackRecord; update: UpdateRecord } {
  const found = requireUpdateOfPath(req, state);
  const { update } = found;
  if (
    req.updateToken === undefined ||
    update.leaseToken === undefined ||
    req.updateToken !== update.leaseToken
  )
    throw unauthorized();
  if (update.status === "cancelled") throw conflict("The update has been cancelled.");
  if (update.status !== "running") throw conflict("The update has already completed.");
  if ((update.leaseExpiresAt ?? 0) < state.now()) throw forbidden("The update's lease has expired.");
  return found;
}
