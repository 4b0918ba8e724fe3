// Every endpoint the fixture answers: method, path pattern, which credentials it takes, handler. Paths and
// names follow the client's route table (pkg/backend/httpstate/client/api_endpoints.go). A `:kind` segment
// matches an update kind only, so `/updates/...` and `/export/...` never reach the update routes.
import type { Handler } from "./context.js";
import { getCapabilities, getCurrentUser, getDefaultOrg } from "./handlers/account.js";
import { batchDecrypt, batchEncrypt, decryptValue, encryptValue, logDecryption } from "./handlers/crypto.js";
import { getStackUpdate, getStackUpdates } from "./handlers/history.js";
import { exportStack, importStack } from "./handlers/state-transfer.js";
import {
  createStack,
  deleteStack,
  getStack,
  listOrgStacks,
  listUserStacks,
  projectExists,
  renameStack,
  updateStackConfig,
  updateStackTags,
} from "./handlers/stacks.js";
import {
  cancelUpdate,
  completeUpdate,
  createUpdate,
  getEngineEvents,
  getUpdateStatus,
  patchCheckpoint,
  patchCheckpointVerbatim,
  postEngineEvent,
  postEngineEventBatch,
  renewLease,
  startUpdate,
} from "./handlers/updates.js";
import { PROGRAM_UPDATE_KINDS } from "./model.js";

/** "none": no token needed; "user": `token <api token>`; "update": `update-token <lease>`, checked by the handler. */
export type RouteAuth = "none" | "user" | "update";

export interface Route {
  method: string;
  pattern: string;
  auth: RouteAuth;
  handler: Handler;
}

const S = "/api/stacks/:org/:project/:stack";
const U = `${S}/:kind/:update`;

export const ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/api/capabilities", auth: "none", handler: getCapabilities },
  { method: "GET", pattern: "/api/user", auth: "user", handler: getCurrentUser },
  { method: "GET", pattern: "/api/user/stacks", auth: "user", handler: listUserStacks },
  { method: "GET", pattern: "/api/user/organizations/default", auth: "user", handler: getDefaultOrg },
  { method: "GET", pattern: "/api/stacks/:org", auth: "user", handler: listOrgStacks },
  { method: "HEAD", pattern: "/api/stacks/:org/:project", auth: "user", handler: projectExists },
  { method: "POST", pattern: "/api/stacks/:org/:project", auth: "user", handler: createStack },
  { method: "GET", pattern: S, auth: "user", handler: getStack },
  { method: "DELETE", pattern: S, auth: "user", handler: deleteStack },
  { method: "PATCH", pattern: `${S}/tags`, auth: "user", handler: updateStackTags },
  { method: "POST", pattern: `${S}/rename`, auth: "user", handler: renameStack },
  { method: "PUT", pattern: `${S}/config`, auth: "user", handler: updateStackConfig },
  { method: "GET", pattern: `${S}/export`, auth: "user", handler: exportStack },
  { method: "GET", pattern: `${S}/export/:version`, auth: "user", handler: exportStack },
  { method: "POST", pattern: `${S}/import`, auth: "user", handler: importStack },
  { method: "POST", pattern: `${S}/encrypt`, auth: "user", handler: encryptValue },
  { method: "POST", pattern: `${S}/decrypt`, auth: "user", handler: decryptValue },
  { method: "POST", pattern: `${S}/decrypt/log-decryption`, auth: "user", handler: logDecryption },
  { method: "POST", pattern: `${S}/decrypt/log-batch-decryption`, auth: "user", handler: logDecryption },
  { method: "POST", pattern: `${S}/batch-encrypt`, auth: "user", handler: batchEncrypt },
  { method: "POST", pattern: `${S}/batch-decrypt`, auth: "user", handler: batchDecrypt },
  { method: "GET", pattern: `${S}/updates`, auth: "user", handler: getStackUpdates },
  { method: "GET", pattern: `${S}/updates/:version`, auth: "user", handler: getStackUpdate },
  { method: "POST", pattern: `${S}/:kind`, auth: "user", handler: createUpdate },
  { method: "GET", pattern: U, auth: "user", handler: getUpdateStatus },
  { method: "POST", pattern: U, auth: "user", handler: startUpdate },
  { method: "POST", pattern: `${U}/cancel`, auth: "user", handler: cancelUpdate },
  { method: "GET", pattern: `${U}/events`, auth: "user", handler: getEngineEvents },
  { method: "PATCH", pattern: `${U}/checkpoint`, auth: "update", handler: patchCheckpoint },
  { method: "PATCH", pattern: `${U}/checkpointverbatim`, auth: "update", handler: patchCheckpointVerbatim },
  { method: "POST", pattern: `${U}/events`, auth: "update", handler: postEngineEvent },
  { method: "POST", pattern: `${U}/events/batch`, auth: "update", handler: postEngineEventBatch },
  { method: "POST", pattern: `${U}/renew_lease`, auth: "update", handler: renewLease },
  { method: "POST", pattern: `${U}/complete`, auth: "update", handler: completeUpdate },
];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/").filter((p) => p !== "");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? "";
    if (part.startsWith(":")) {
      if (part === ":kind" && !PROGRAM_UPDATE_KINDS.some((k) => k === segment)) return undefined;
      params[part.slice(1)] = segment;
    } else if (part !== segment) return undefined;
  }
  return params;
}

/** The route of a request; `wrongMethod` when the path exists under another method only. */
export function findRoute(method: string, path: string): RouteMatch | "wrongMethod" | undefined {
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s));
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (params === undefined) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? "wrongMethod" : undefined;
}
