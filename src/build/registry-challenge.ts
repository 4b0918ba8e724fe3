// The Docker registry token flow (distribution's "token authentication"): a registry that wants more
// than Basic auth answers 401 with `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; the
// client then asks the realm for a token with its Basic credentials and retries with `Bearer <token>`.
// Artifact Registry and ACR work this way; ECR takes Basic auth directly. Pure but for `fetch`.
import { UserError } from "../errors.js";

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** The Bearer challenge of a WWW-Authenticate header, or undefined (Basic, or none). */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (header === null || !/^\s*bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*bearer\s+/i, "").matchAll(/([a-z_]+)="([^"]*)"/gi))
    params[(m[1] ?? "").toLowerCase()] = m[2] ?? "";
  const realm = params.realm;
  if (realm === undefined || realm === "") return undefined;
  return {
    realm,
    ...(params.service === undefined ? {} : { service: params.service }),
    ...(params.scope === undefined ? {} : { scope: params.scope }),
  };
}

export const basicHeader = (c: BasicCredentials): string =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

/** Trades Basic credentials for the Bearer token the challenge asks for. */
export async function fetchBearerToken(
  challenge: BearerChallenge,
  credentials: BasicCredentials,
  timeoutMs: number,
): Promise<string> {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set("service", challenge.service);
  if (challenge.scope !== undefined) url.searchParams.set("scope", challenge.scope);
  const res = await fetch(url, {
    headers: { authorization: basicHeader(credentials) },
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((e: unknown) => {
    throw new UserError(
      "registry",
      `the registry's token service ${url.origin} did not answer: ${String(e)}`,
    );
  });
  if (res.status !== 200)
    throw new UserError(
      "registry-auth",
      `the registry's token service ${url.origin}${url.pathname} refused the credentials (HTTP ${res.status})`,
      "check that your cloud credentials may read the registry (the same ones Pulumi uses)",
    );
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (token === undefined || token === "")
    throw new UserError("registry-auth", `the registry's token service ${url.origin} sent no token`);
  return token;
}
