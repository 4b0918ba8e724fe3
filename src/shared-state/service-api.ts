// A Pulumi service's HTTP API as dstack's records use it (issue 15): where (the URL and the team's
// organization), who (the access token, as the Pulumi CLI finds it: PULUMI_ACCESS_TOKEN, else `pulumi
// login`'s ~/.pulumi/credentials.json), and synchronous calls through the sync bridge. The token goes in
// the Authorization header only; it is never written anywhere by dstack.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { httpCall } from "./sync-bridge.js";

export interface ServiceLocation {
  /** e.g. https://api.pulumi.com, without a trailing slash. */
  url: string;
  token: string;
  /** The organization whose stacks hold the team's records. */
  org: string;
}

function tokenFor(url: string, home: string, env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.PULUMI_ACCESS_TOKEN;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  try {
    const file = JSON.parse(readFileSync(join(home, ".pulumi", "credentials.json"), "utf8")) as {
      accessTokens?: Record<string, string>;
    };
    const token = file.accessTokens?.[url] ?? file.accessTokens?.[`${url}/`];
    if (token !== undefined && token !== "") return token;
  } catch {
    // not logged in with the Pulumi CLI
  }
  throw new UserError(
    "state-backend",
    `no access token for the Pulumi service at ${url}`,
    "set PULUMI_ACCESS_TOKEN (or run `pulumi login URL`)",
  );
}

export interface ServiceReply {
  status: number;
  json: unknown;
}

/** One call; an unreachable service or a refused token is a UserError that says so. */
export function serviceCall(
  location: Pick<ServiceLocation, "url" | "token">,
  method: string,
  path: string,
  body?: unknown,
  auth = `token ${location.token}`,
): ServiceReply {
  const reply = httpCall(
    method,
    `${location.url}${path}`,
    { authorization: auth, accept: "application/json" },
    body,
  );
  if (reply.status === null)
    throw new UserError(
      "state-backend",
      `no Pulumi service answers at ${location.url} (${reply.error ?? "no answer"})`,
      "check the backend URL (DSTACK_BACKEND_URL or `state: {backend}` in ~/.dstack/config.yml) and that the service is up",
    );
  if (reply.status === 401)
    throw new UserError(
      "state-backend",
      `the Pulumi service at ${location.url} refused the access token`,
      "set PULUMI_ACCESS_TOKEN to a valid token for that service (or `pulumi login URL`)",
    );
  return { status: reply.status, json: parsedBody(reply.body) };
}

/** The body as JSON; a body that is not JSON as its text, an empty one as null. */
function parsedBody(body: string): unknown {
  if (body === "") return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** The service's error text from its body (`{code, message}`), for messages. */
export const serviceMessage = (reply: ServiceReply): string =>
  (reply.json as { message?: string } | null)?.message ?? `HTTP ${reply.status}`;

/** The default organization per service and token, asked once per process. */
const defaultOrgs = new Map<string, string>();

export function serviceLocation(
  url: string,
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceLocation {
  const base = url.replace(/\/+$/, "");
  const token = tokenFor(base, home, env);
  const org = env.DSTACK_PULUMI_ORG;
  if (org !== undefined && org !== "") return { url: base, token, org };
  const known = defaultOrgs.get(`${base} ${token}`);
  if (known !== undefined) return { url: base, token, org: known };
  // The token's user's default organization (its personal one unless `pulumi org set-default`).
  const reply = serviceCall({ url: base, token }, "GET", "/api/user/organizations/default");
  const login = (reply.json as { GitHubLogin?: string } | null)?.GitHubLogin;
  if (reply.status !== 200 || login === undefined || login === "")
    throw new UserError(
      "state-backend",
      `the Pulumi service at ${base} did not say the default organization (${serviceMessage(reply)})`,
      "set DSTACK_PULUMI_ORG to the organization your team shares",
    );
  defaultOrgs.set(`${base} ${token}`, login);
  return { url: base, token, org: login };
}
