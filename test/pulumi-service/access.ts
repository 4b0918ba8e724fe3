// Finding the stack a request names, for a user who may see it. A stack in an organization the user is not
// a member of is reported as missing, the way the service hides what a token cannot read.
import type { ApiRequest, ServiceState } from "./context.js";
import { userOf } from "./context.js";
import { notFound } from "./errors.js";
import type { StackRecord } from "./model.js";
import { orgsOf } from "./users.js";

export function stackRef(req: ApiRequest): string {
  return `${req.params.org}/${req.params.project}/${req.params.stack}`;
}

/** Refuses (404) an organization the request's user is not a member of. */
export function requireOrgMember(req: ApiRequest, org: string): void {
  if (!orgsOf(userOf(req)).includes(org)) throw notFound(`Organization '${org}' not found`);
}

/** The stack of the path's org/project/stack, visible to the request's user. */
export function requireStack(req: ApiRequest, state: ServiceState): StackRecord {
  const { org = "", project = "", stack = "" } = req.params;
  requireOrgMember(req, org);
  const found = state.store.findStack(org, project, stack);
  if (found === undefined) throw notFound(`Stack '${stackRef(req)}' not found`);
  return found;
}
