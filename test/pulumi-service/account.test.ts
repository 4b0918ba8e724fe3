// Credentials and login: the token's user, the service's 401 body, the capabilities answer, token config.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PulumiService } from "./server.js";
import { ALICE, call, serviceForFile } from "./test-client.js";
import { DEFAULT_USERS, parseTokenList, parseUsersFile, usersFromEnv } from "./users.js";

let service: PulumiService;
serviceForFile((s) => {
  service = s;
});

const UNAUTHORIZED = { code: 401, message: "Unauthorized: No credentials provided or are invalid." };

describe("pulumi service stand-in: credentials", () => {
  it("GET /api/user answers the token's user and its organizations", async () => {
    const r = await call(service, "GET", "/api/user");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ githubLogin: "alice", organizations: [{ githubLogin: "acme" }] });
  });

  it("a missing, wrong or update-kind token gets 401 with the service's error body", async () => {
    for (const options of [{ token: "" }, { token: "nope" }, { updateToken: ALICE.token }]) {
      const r = await call(service, "GET", "/api/user/stacks", options);
      expect(r).toEqual({ status: 401, body: UNAUTHORIZED });
    }
  });

  it("lease routes refuse an API token", async () => {
    const r = await call(service, "PATCH", "/api/stacks/alice/p/s/update/x/checkpoint", { body: {} });
    expect(r).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it("capabilities need no token and offer batch encryption only", async () => {
    const r = await call(service, "GET", "/api/capabilities", { token: "" });
    expect(r).toEqual({ status: 200, body: { capabilities: [{ capability: "batch-encrypt" }] } });
  });

  it("the default organization is the user's own", async () => {
    const r = await call(service, "GET", "/api/user/organizations/default");
    expect(r.body).toEqual({ GitHubLogin: "alice", Messages: [] });
  });

  it("a route the fixture does not model is a 404 that names it", async () => {
    const r = await call(service, "GET", "/api/orgs/acme/policypacks");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      code: 404,
      message:
        "Not Found: GET /api/orgs/acme/policypacks is not modelled by the dstack Pulumi service fixture",
    });
  });
});

describe("pulumi service stand-in: token configuration", () => {
  it("parses user:token lists and refuses malformed entries", () => {
    expect(parseTokenList("a:t1, b:t2")).toEqual([
      { name: "a", token: "t1", orgs: [] },
      { name: "b", token: "t2", orgs: [] },
    ]);
    expect(() => parseTokenList("justatoken")).toThrow(/is not user:token/);
    expect(() => parseTokenList("a:")).toThrow(/is not user:token/);
  });

  it("reads a JSON users file with organizations; the file wins over the list; defaults otherwise", () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-pulumi-users-"));
    try {
      const file = join(dir, "users.json");
      writeFileSync(file, JSON.stringify({ users: [{ name: "c", token: "t3", orgs: ["team"] }] }));
      expect(parseUsersFile(file)).toEqual([{ name: "c", token: "t3", orgs: ["team"] }]);
      expect(
        usersFromEnv({ DSTACK_PULUMI_SERVICE_CONFIG: file, DSTACK_PULUMI_SERVICE_TOKENS: "a:t" }),
      ).toHaveLength(1);
      expect(usersFromEnv({ DSTACK_PULUMI_SERVICE_TOKENS: "a:t" })).toEqual([
        { name: "a", token: "t", orgs: [] },
      ]);
      expect(usersFromEnv({})).toEqual(DEFAULT_USERS);
      writeFileSync(file, JSON.stringify({ users: [{ name: "c" }] }));
      expect(() => parseUsersFile(file)).toThrow(/needs a name and a token/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
