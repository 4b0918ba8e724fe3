// What every endpoint handler gets: the parsed request and the service's state. Handlers are synchronous
// (see store.ts) and either return a reply or throw a ServiceError.
import type { FixtureSecrets } from "./secrets.js";
import type { ServiceStore } from "./store.js";
import type { ServiceUser } from "./users.js";

export interface ServiceState {
  store: ServiceStore;
  secrets: FixtureSecrets;
  users: ServiceUser[];
  /** The longest lease a start or a renewal grants, in seconds (the client asks for 5 minutes). */
  maxLeaseSeconds: number;
  /** Unix milliseconds; tests of the server may replace it to move time without waiting. */
  now: () => number;
}

export interface ApiRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (gunzipped when the client compressed it), or undefined when empty. */
  body: unknown;
  /** The API token's user; set on every route that requires `Authorization: token <t>`. */
  user: ServiceUser | undefined;
  /** The lease token of `Authorization: update-token <t>`, when the request carried one. */
  updateToken: string | undefined;
}

export interface Reply {
  status: number;
  /** JSON-encoded; undefined sends no body (204, or the HEAD answer). */
  body?: unknown;
}

export type Handler = (req: ApiRequest, state: ServiceState) => Reply;

export const ok = (body?: unknown): Reply => (body === undefined ? { status: 204 } : { status: 200, body });

/** The authenticated user of a route declared `auth: "user"` (the router guarantees it is set). */
export function userOf(req: ApiRequest): ServiceUser {
  if (req.user === undefined) throw new Error("pulumi-service: a user route ran without a user");
  return req.user;
}
