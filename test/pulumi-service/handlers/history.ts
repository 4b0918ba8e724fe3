// `pulumi stack history` (and the Automation API's summary of every up/refresh/destroy, which reads the
// newest entry): the stack's started non-preview updates and its imports, newest first, as apitype.UpdateInfo.
import type { Handler, ServiceState } from "../context.js";
import { ok } from "../context.js";
import { requireStack } from "../access.js";
import { notFound } from "../errors.js";
import type { StackRecord, UpdateRecord } from "../model.js";
import { resourceCount } from "../model.js";

function historyOf(stack: StackRecord, state: ServiceState): UpdateRecord[] {
  return state.store
    .updatesOf(stack)
    .filter((u) => u.kind !== "preview" && u.startTime !== undefined && u.version !== undefined)
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
}

function result(update: UpdateRecord): string {
  switch (update.status) {
    case "running":
      return "in-progress";
    case "succeeded":
      return "succeeded";
    case "not started":
      return "not-started";
    default:
      return "failed"; // failed and cancelled alike
  }
}

function updateInfo(update: UpdateRecord, stack: StackRecord, state: ServiceState): Record<string, unknown> {
  const version = update.version ?? 0;
  return {
    kind: update.kind,
    startTime: update.startTime ?? 0,
    message: update.message,
    environment: update.environment,
    config: update.config,
    result: result(update),
    endTime: update.endTime ?? 0,
    version,
    ...(update.resourceChanges === undefined ? {} : { resourceChanges: update.resourceChanges }),
    resourceCount: resourceCount(state.store.versionDeployment(stack, version)),
  };
}

/** GET .../updates[?pageSize=N&page=P] → apitype.GetHistoryResponse {updates} */
export const getStackUpdates: Handler = (req, state) => {
  const stack = requireStack(req, state);
  let updates = historyOf(stack, state);
  const pageSize = Number(req.query.get("pageSize") ?? "0");
  if (Number.isInteger(pageSize) && pageSize > 0) {
    const page = Math.max(1, Number(req.query.get("page") ?? "1") || 1);
    updates = updates.slice((page - 1) * pageSize, page * pageSize);
  }
  return ok({ updates: updates.map((u) => updateInfo(u, stack, state)) });
};

/** GET .../updates/latest and .../updates/{version} → {info: apitype.UpdateInfo} (404 when none). */
export const getStackUpdate: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const history = historyOf(stack, state);
  const which = req.params.version;
  const found = which === "latest" ? history[0] : history.find((u) => String(u.version) === which);
  if (found === undefined) throw notFound(`Update '${which}' of stack '${stack.stackName}' not found`);
  return ok({ info: updateInfo(found, stack, state), version: found.version });
};
