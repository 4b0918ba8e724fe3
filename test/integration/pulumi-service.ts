// The Pulumi Cloud stand-in `scripts/ensure-pulumi-service` runs on 127.0.0.1 (test/pulumi-service), for
// tests that need a shared, long-running `httpstate` backend. A server that does not answer is a failure
// that says how to start it, never a skip. (Tests of the fixture itself start their own, on port 0.)

export interface PulumiServiceEndpoint {
  /** e.g. http://127.0.0.1:9910, for `pulumi login` and PULUMI_BACKEND_URL. */
  url: string;
  /** The user the token belongs to, i.e. the organization of its personal stacks. */
  user: string;
  /** For PULUMI_ACCESS_TOKEN. */
  token: string;
}

/** Where the ensure script serves, with its first user: DSTACK_PULUMI_SERVICE_TOKENS' first, else the default. */
export function pulumiServiceEndpoint(env = process.env): PulumiServiceEndpoint {
  const port = env.DSTACK_PULUMI_SERVICE_PORT || "9910";
  const first = (env.DSTACK_PULUMI_SERVICE_TOKENS ?? "").split(",")[0]?.trim() ?? "";
  const colon = first.indexOf(":");
  const [user, token] =
    colon > 0 ? [first.slice(0, colon), first.slice(colon + 1)] : ["dstack", "pul-dstack-local-token"];
  return { url: `http://127.0.0.1:${port}`, user, token };
}

/** The running stand-in, once its health endpoint answers and the token is accepted; else a clear error. */
export async function requirePulumiService(): Promise<PulumiServiceEndpoint> {
  const endpoint = pulumiServiceEndpoint();
  const healthy = await fetch(`${endpoint.url}/dstack-fixture/health`, { signal: AbortSignal.timeout(5_000) })
    .then(async (r) => r.ok && ((await r.json()) as { service?: string }).service === "dstack-pulumi-service")
    .catch(() => false);
  if (!healthy)
    throw new Error(
      `no Pulumi service stand-in answers on ${endpoint.url}: run ./scripts/ensure-pulumi-service`,
    );
  const user = await fetch(`${endpoint.url}/api/user`, {
    headers: { authorization: `token ${endpoint.token}` },
    signal: AbortSignal.timeout(5_000),
  });
  if (user.status !== 200)
    throw new Error(
      `the Pulumi service stand-in on ${endpoint.url} refuses the token of user ${endpoint.user} (HTTP ${user.status}); ` +
        `it was started with other tokens: stop it (kill the pid in ~/.cache/dstack/pulumi-service/server.pid) ` +
        `and run ./scripts/ensure-pulumi-service with DSTACK_PULUMI_SERVICE_TOKENS set`,
    );
  return endpoint;
}
