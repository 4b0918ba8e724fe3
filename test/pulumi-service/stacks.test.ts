// Stacks: create/get/list with filters, organizations as the boundary of what a token sees, tags, rename,
// and delete refusing a stack with resources (the exact text the client turns into its own message).
import { describe, expect, it } from "vitest";
import type { PulumiService } from "./server.js";
import { BOB, call, createStack, deploymentWith, serviceForFile, startUpdate } from "./test-client.js";

let service: PulumiService;
serviceForFile((s) => {
  service = s;
});

interface Summary {
  orgName: string;
  projectName: string;
  stackName: string;
  resourceCount: number;
}
const names = (stacks: Summary[]): string[] =>
  stacks.map((s) => `${s.orgName}/${s.projectName}/${s.stackName}`);

describe("pulumi service stand-in: stacks", () => {
  it("creates a stack, gets it, and refuses a second one of the same name with 409 'already exists'", async () => {
    await createStack(service, "alice", "web", "dev");
    const got = await call(service, "GET", "/api/stacks/alice/web/dev");
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      orgName: "alice",
      projectName: "web",
      stackName: "dev",
      version: 0,
      activeUpdate: "",
    });
    const again = await call(service, "POST", "/api/stacks/alice/web", { body: { stackName: "dev" } });
    expect(again).toEqual({
      status: 409,
      body: { code: 409, message: "Conflict: Stack 'alice/web/dev' already exists" },
    });
  });

  it("refuses an invalid stack name with 400", async () => {
    const r = await call(service, "POST", "/api/stacks/alice/web", { body: { stackName: "no spaces" } });
    expect(r.status).toBe(400);
  });

  it("lists the user's stacks, filtered by organization, project and tag", async () => {
    await createStack(service, "acme", "web", "prod");
    await createStack(service, "acme", "api", "prod");
    const tagged = await call(service, "PATCH", "/api/stacks/acme/api/prod/tags", { body: { team: "blue" } });
    expect(tagged.status).toBe(204);

    const all = await call<{ stacks: Summary[] }>(service, "GET", "/api/user/stacks");
    expect(names(all.body.stacks)).toEqual(["acme/api/prod", "acme/web/prod", "alice/web/dev"]);
    const byOrg = await call<{ stacks: Summary[] }>(
      service,
      "GET",
      "/api/user/stacks?organization=acme&project=web",
    );
    expect(names(byOrg.body.stacks)).toEqual(["acme/web/prod"]);
    const byTag = await call<{ stacks: Summary[] }>(
      service,
      "GET",
      "/api/user/stacks?tagName=team&tagValue=blue",
    );
    expect(names(byTag.body.stacks)).toEqual(["acme/api/prod"]);
    const byTagName = await call<{ stacks: Summary[] }>(service, "GET", "/api/user/stacks?tagName=team");
    expect(names(byTagName.body.stacks)).toEqual(["acme/api/prod"]);
    const wrongValue = await call<{ stacks: Summary[] }>(
      service,
      "GET",
      "/api/user/stacks?tagName=team&tagValue=red",
    );
    expect(wrongValue.body.stacks).toEqual([]);
  });

  it("hides other organizations: bob sees none of alice's stacks and cannot create in acme", async () => {
    const list = await call<{ stacks: Summary[] }>(service, "GET", "/api/user/stacks", { token: BOB.token });
    expect(list.body.stacks).toEqual([]);
    const get = await call(service, "GET", "/api/stacks/alice/web/dev", { token: BOB.token });
    expect(get).toEqual({
      status: 404,
      body: { code: 404, message: "Not Found: Organization 'alice' not found" },
    });
    const create = await call(service, "POST", "/api/stacks/acme/web", {
      token: BOB.token,
      body: { stackName: "x" },
    });
    expect(create.status).toBe(404);
  });

  it("PATCH tags replaces the whole map", async () => {
    await call(service, "PATCH", "/api/stacks/alice/web/dev/tags", { body: { a: "1", b: "2" } });
    await call(service, "PATCH", "/api/stacks/alice/web/dev/tags", { body: { b: "3" } });
    const got = await call(service, "GET", "/api/stacks/alice/web/dev");
    expect(got.body.tags).toEqual({ b: "3" });
  });

  it("HEAD on a project answers whether it has stacks", async () => {
    expect((await call(service, "HEAD", "/api/stacks/acme/web")).status).toBe(200);
    expect((await call(service, "HEAD", "/api/stacks/acme/nothing")).status).toBe(404);
  });

  it("renames a stack (also into another project) and refuses a name in use", async () => {
    await createStack(service, "alice", "ren", "a");
    await createStack(service, "alice", "ren", "b");
    const taken = await call(service, "POST", "/api/stacks/alice/ren/a/rename", { body: { newName: "b" } });
    expect(taken.status).toBe(409);
    const moved = await call(service, "POST", "/api/stacks/alice/ren/a/rename", {
      body: { newName: "c", newProject: "ren2" },
    });
    expect(moved.status).toBe(204);
    expect((await call(service, "GET", "/api/stacks/alice/ren/a")).status).toBe(404);
    expect((await call(service, "GET", "/api/stacks/alice/ren2/c")).status).toBe(200);
  });

  it("delete refuses a stack with resources (400, the client's text) unless forced", async () => {
    await createStack(service, "alice", "del", "full");
    const imported = await call(service, "POST", "/api/stacks/alice/del/full/import", {
      body: deploymentWith(2),
    });
    expect(imported.status).toBe(200);
    const refused = await call(service, "DELETE", "/api/stacks/alice/del/full?force=false");
    expect(refused).toEqual({
      status: 400,
      body: { code: 400, message: "Bad Request: Stack still contains resources." },
    });
    const summary = await call<{ stacks: Summary[] }>(service, "GET", "/api/user/stacks?project=del");
    expect(summary.body.stacks[0]?.resourceCount).toBe(2);
    const forced = await call(service, "DELETE", "/api/stacks/alice/del/full?force=true");
    expect(forced.status).toBe(204);
    expect((await call(service, "GET", "/api/stacks/alice/del/full")).status).toBe(404);
  });

  it("delete refuses a stack while an update runs, unless forced", async () => {
    await createStack(service, "alice", "del", "busy");
    await startUpdate(service, "/api/stacks/alice/del/busy");
    const refused = await call(service, "DELETE", "/api/stacks/alice/del/busy?force=false");
    expect(refused).toEqual({
      status: 409,
      body: { code: 409, message: "Conflict: Another update is currently in progress." },
    });
    expect((await call(service, "DELETE", "/api/stacks/alice/del/busy?force=true")).status).toBe(204);
  });

  it("an empty stack exports an empty v3 deployment and deletes without force", async () => {
    await createStack(service, "alice", "del", "empty");
    const exported = await call(service, "GET", "/api/stacks/alice/del/empty/export");
    expect(exported.body).toMatchObject({ version: 3, deployment: { manifest: {} } });
    expect((await call(service, "DELETE", "/api/stacks/alice/del/empty?force=false")).status).toBe(204);
  });
});
