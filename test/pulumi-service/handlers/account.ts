// Login and discovery: who the token belongs to (`pulumi login`, `whoami`), the user's default
// organization (where an unqualified stack name lives), and the capabilities the CLI probes first.
import type { Handler } from "../context.js";
import { ok, userOf } from "../context.js";

/** GET /api/user — the client needs `githubLogin` and each organization's `githubLogin`. */
export const getCurrentUser: Handler = (req) => {
  const user = userOf(req);
  return ok({
    id: user.name,
    githubLogin: user.name,
    name: user.name,
    email: `${user.name}@example.invalid`,
    avatarUrl: "",
    organizations: user.orgs.map((org) => ({ githubLogin: org, name: org, avatarUrl: "" })),
    identities: [],
  });
};

/** GET /api/user/organizations/default — the personal organization (apitype has no JSON tags here). */
export const getDefaultOrg: Handler = (req) => ok({ GitHubLogin: userOf(req).name, Messages: [] });

/**
 * GET /api/capabilities — only batch encryption. Not advertising delta checkpoints keeps the client on
 * whole-state `PATCH .../checkpoint`; not advertising a deployment schema version makes it send v3.
 */
export const getCapabilities: Handler = () => ok({ capabilities: [{ capability: "batch-encrypt" }] });
