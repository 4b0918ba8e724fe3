// The registry client's credentials (registry-challenge.ts): Basic auth as ECR takes it, and the Bearer
// token flow Artifact Registry and ACR answer with, against a small HTTP server that behaves as the
// distribution spec says (401 + WWW-Authenticate, a token realm that checks Basic credentials).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseBearerChallenge } from "../../../src/build/registry-challenge.js";
import { RegistryClient } from "../../../src/build/registry-client.js";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(
  handler: (req: IncomingMessage, base: string) => [number, Record<string, string>, string],
) {
  const seen: { url: string; authorization: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization ?? "" });
    const [status, headers, body] = handler(req, base);
    res.writeHead(status, headers).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen };
}

const basic = (user: string, pass: string): string =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describe("credentials", () => {
  it("sends Basic credentials (ECR)", async () => {
    const { base, seen } = await serve((req) =>
      req.headers.authorization === basic("AWS", "tok")
        ? [200, {}, "{}"]
        : [401, { "www-authenticate": 'Basic realm="ecr"' }, "{}"],
    );
    await new RegistryClient(base, { auth: { username: "AWS", password: "tok" } }).ping();
    expect(seen).toEqual([{ url: "/v2/", authorization: basic("AWS", "tok") }]);
  });

  it("trades them for a Bearer token when the registry asks (Artifact Registry, ACR), then keeps it", async () => {
    const { base, seen } = await serve((req, host) => {
      if (req.url?.startsWith("/token"))
        return req.headers.authorization === basic("oauth2accesstoken", "ya29")
          ? [200, { "content-type": "application/json" }, JSON.stringify({ token: "bearer-1" })]
          : [401, {}, "{}"];
      if (req.headers.authorization === "Bearer bearer-1") return [200, {}, JSON.stringify({ tags: ["k1"] })];
      return [
        401,
        {
          "www-authenticate": `Bearer realm="http://${host}/token",service="reg",scope="repository:p/r:pull"`,
        },
        "{}",
      ];
    });
    const client = new RegistryClient(base, { auth: { username: "oauth2accesstoken", password: "ya29" } });
    expect(await client.tags("p/r")).toEqual(["k1"]);
    expect(await client.tags("p/r")).toEqual(["k1"]);
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ["/v2/p/r/tags/list", basic("oauth2accesstoken", "ya29")],
      ["/token?service=reg&scope=repository%3Ap%2Fr%3Apull", basic("oauth2accesstoken", "ya29")],
      ["/v2/p/r/tags/list", "Bearer bearer-1"],
      ["/v2/p/r/tags/list", "Bearer bearer-1"],
    ]);
  });

  it("a refused token request is a UserError that says whose credentials to check", async () => {
    const { base } = await serve((req, host) =>
      req.url?.startsWith("/token")
        ? [403, {}, "{}"]
        : [401, { "www-authenticate": `Bearer realm="http://${host}/token",service="reg"` }, "{}"],
    );
    const client = new RegistryClient(base, { auth: { username: "u", password: "p" } });
    await expect(client.ping()).rejects.toThrow(/refused the credentials \(HTTP 403\)/);
  });

  it("uses HTTPS for any registry not on this machine", () => {
    expect(new RegistryClient("123456789012.dkr.ecr.us-east-1.amazonaws.com").url).toBe(
      "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
    );
    expect(new RegistryClient("localhost:5000").url).toBe("http://localhost:5000");
  });
});

describe("parseBearerChallenge", () => {
  it("reads realm, service and scope; Basic or a realm-less header is no challenge", () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.example/token",service="svc",scope="repository:a:pull"',
      ),
    ).toEqual({ realm: "https://auth.example/token", service: "svc", scope: "repository:a:pull" });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="svc"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });
});
