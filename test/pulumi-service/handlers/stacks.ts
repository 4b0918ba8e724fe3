// Stacks: create, read, list (with the CLI's filters), delete (refusing one that still has resources
// unless forced), tags, rename, and the stack's cloud config.
import type { ApiRequest, Handler, ServiceState } from "../context.js";
import { ok, userOf } from "../context.js";
import { requireOrgMember, requireStack } from "../access.js";
import { badRequest, conflict, notFound, updateInProgress } from "../errors.js";
import type { StackRecord, UntypedDeployment } from "../model.js";
import { resourceCount } from "../model.js";
import { orgsOf } from "../users.js";
import { randomUUID } from "node:crypto";
import { readDeployment } from "./deployment-body.js";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function requireName(what: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name))
    throw badRequest(
      `${what} '${String(name)}' may only contain alphanumerics, hyphens, underscores or periods`,
    );
  return name;
}

function requireTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== "object" || Array.isArray(tags)) throw badRequest("tags must be an object of strings");
  for (const [k, v] of Object.entries(tags))
    if (typeof v !== "string") throw badRequest(`tag '${k}' must be a string`);
  return { ...(tags as Record<string, string>) };
}

/** apitype.Stack */
export function stackJson(stack: StackRecord, state: ServiceState): Record<string, unknown> {
  const running = state.store.runningUpdate(stack);
  return {
    id: stack.id,
    orgName: stack.orgName,
    projectName: stack.projectName,
    stackName: stack.stackName,
    activeUpdate: stack.activeUpdate,
    ...(running === undefined
      ? {}
      : {
          currentOperation: { kind: running.kind, author: running.author, started: running.startTime ?? 0 },
        }),
    tags: stack.tags,
    ...(stack.config === undefined ? {} : { config: stack.config }),
    version: stack.version,
  };
}

/** apitype.StackSummary */
function summaryJson(stack: StackRecord, state: ServiceState): Record<string, unknown> {
  return {
    id: stack.id,
    orgName: stack.orgName,
    projectName: stack.projectName,
    stackName: stack.stackName,
    ...(stack.lastUpdate === undefined ? {} : { lastUpdate: stack.lastUpdate }),
    resourceCount: resourceCount(state.store.deployment(stack)),
  };
}

function listStacks(
  req: ApiRequest,
  state: ServiceState,
  orgFilter: string | undefined,
): ReturnType<Handler> {
  const orgs = orgsOf(userOf(req));
  const project = req.query.get("project");
  const tagName = req.query.get("tagName");
  const tagValue = req.query.get("tagValue");
  const stacks = state.store
    .stacks()
    .filter((s) => orgs.includes(s.orgName))
    .filter((s) => orgFilter === undefined || s.orgName === orgFilter)
    .filter((s) => project === null || s.projectName === project)
    .filter(
      (s) => tagName === null || (tagName in s.tags && (tagValue === null || s.tags[tagName] === tagValue)),
    )
    .sort((a, b) =>
      `${a.orgName}/${a.projectName}/${a.stackName}`.localeCompare(
        `${b.orgName}/${b.projectName}/${b.stackName}`,
      ),
    );
  // One page holds everything: no continuationToken.
  return ok({ stacks: stacks.map((s) => summaryJson(s, state)) });
}

/** GET /api/user/stacks?organization=&project=&tagName=&tagValue= */
export const listUserStacks: Handler = (req, state) =>
  listStacks(req, state, req.query.get("organization") ?? undefined);

/** GET /api/stacks/{org} */
export const listOrgStacks: Handler = (req, state) => {
  requireOrgMember(req, req.params.org ?? "");
  return listStacks(req, state, req.params.org);
};

/** HEAD /api/stacks/{org}/{project}: 200 when the project has a stack, else 404. */
export const projectExists: Handler = (req, state) => {
  requireOrgMember(req, req.params.org ?? "");
  const found = state.store
    .stacks()
    .some((s) => s.orgName === req.params.org && s.projectName === req.params.project);
  if (!found) throw notFound(`Project '${req.params.org}/${req.params.project}' not found`);
  return { status: 200 };
};

/** POST /api/stacks/{org}/{project} apitype.CreateStackRequest → apitype.CreateStackResponse */
export const createStack: Handler = (req, state) => {
  const org = req.params.org ?? "";
  requireOrgMember(req, org);
  const project = requireName("project name", req.params.project);
  const body = (req.body ?? {}) as { stackName?: unknown; tags?: unknown; state?: unknown; config?: unknown };
  const stackName = requireName("stack name", body.stackName);
  if (state.store.findStack(org, project, stackName) !== undefined)
    throw conflict(`Stack '${org}/${project}/${stackName}' already exists`);
  const stack: StackRecord = {
    id: randomUUID(),
    orgName: org,
    projectName: project,
    stackName,
    tags: requireTags(body.tags),
    version: 0,
    activeUpdate: "",
    createdAt: Math.floor(state.now() / 1000),
    ...(body.config === undefined || body.config === null ? {} : { config: body.config }),
  };
  const initial: UntypedDeployment | undefined =
    body.state === undefined || body.state === null ? undefined : readDeployment(body.state);
  state.store.saveStack(stack);
  if (initial !== undefined) state.store.saveDeployment(stack, initial);
  return ok({});
};

/** GET /api/stacks/{org}/{project}/{stack} → apitype.Stack */
export const getStack: Handler = (req, state) => ok(stackJson(requireStack(req, state), state));

/**
 * DELETE /api/stacks/{org}/{project}/{stack}?force=<bool>. Without force: refused while an update runs
 * (409) and while the state holds resources (400, the exact text the client recognises).
 */
export const deleteStack: Handler = (req, state) => {
  const stack = requireStack(req, state);
  if (req.query.get("force") !== "true") {
    if (state.store.runningUpdate(stack) !== undefined) throw updateInProgress();
    if (resourceCount(state.store.deployment(stack)) > 0) throw badRequest("Stack still contains resources.");
  }
  state.store.deleteStack(stack);
  return ok();
};

/** PATCH /api/stacks/{org}/{project}/{stack}/tags: the body is the whole new tag map. */
export const updateStackTags: Handler = (req, state) => {
  const stack = requireStack(req, state);
  state.store.saveStack({ ...stack, tags: requireTags(req.body) });
  return ok();
};

/** POST /api/stacks/{org}/{project}/{stack}/rename apitype.StackRenameRequest {newName, newProject}. */
export const renameStack: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const body = (req.body ?? {}) as { newName?: unknown; newProject?: unknown };
  const newName = requireName("stack name", body.newName);
  const newProject =
    body.newProject === undefined || body.newProject === ""
      ? stack.projectName
      : requireName("project name", body.newProject);
  if (state.store.runningUpdate(stack) !== undefined) throw updateInProgress();
  if (state.store.findStack(stack.orgName, newProject, newName) !== undefined)
    throw conflict(`Stack '${stack.orgName}/${newProject}/${newName}' already exists`);
  state.store.saveStack({ ...stack, stackName: newName, projectName: newProject });
  return ok();
};

/** PUT /api/stacks/{org}/{project}/{stack}/config apitype.StackConfig: kept and returned by GET. */
export const updateStackConfig: Handler = (req, state) => {
  const stack = requireStack(req, state);
  state.store.saveStack({ ...stack, config: req.body ?? undefined });
  return ok();
};
