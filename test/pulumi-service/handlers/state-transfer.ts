// `pulumi stack export` / `import`: the current state (or one version's), and replacing it whole. An
// import is recorded as its own version (kind "import") and answers an update id the CLI then polls.
import { randomUUID } from "node:crypto";
import type { Handler } from "../context.js";
import { ok, userOf } from "../context.js";
import { requireStack } from "../access.js";
import { notFound, updateInProgress } from "../errors.js";
import { emptyDeployment } from "../model.js";
import { readDeployment } from "./deployment-body.js";

/** GET .../export and .../export/{version} → apitype.UntypedDeployment */
export const exportStack: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const version = req.params.version;
  if (version === undefined) return ok(state.store.deployment(stack) ?? emptyDeployment());
  const found = /^[1-9][0-9]*$/.test(version)
    ? state.store.versionDeployment(stack, Number(version))
    : undefined;
  if (found === undefined) throw notFound(`Version ${version} of stack '${stack.stackName}' not found`);
  return ok(found);
};

/** POST .../import apitype.UntypedDeployment → apitype.ImportStackResponse {updateId}; 409 while locked. */
export const importStack: Handler = (req, state) => {
  const stack = requireStack(req, state);
  if (state.store.runningUpdate(stack) !== undefined) throw updateInProgress();
  const deployment = readDeployment(req.body);
  const now = Math.floor(state.now() / 1000);
  const version = stack.version + 1;
  const id = randomUUID();
  state.store.saveDeployment(stack, deployment);
  state.store.saveVersionDeployment(stack, version, deployment);
  state.store.saveUpdate({
    id,
    stackId: stack.id,
    kind: "import",
    status: "succeeded",
    author: userOf(req).name,
    createdAt: now,
    startTime: now,
    endTime: now,
    version,
    message: "",
    environment: {},
    config: {},
  });
  state.store.saveStack({ ...stack, version, activeUpdate: id, lastUpdate: now });
  return ok({ updateId: id });
};
