// The data folder is the whole state: a new server on it carries on with the stacks, the versions, the
// history and the lock of a running update; no temporary files are left behind.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PulumiService } from "./server.js";
import {
  call,
  createStack,
  deploymentWith,
  startTestService,
  startUpdate,
  tempDataDir,
} from "./test-client.js";

const dataDir = tempDataDir();
let service: PulumiService | undefined;
afterAll(async () => {
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("pulumi service stand-in: persistence", () => {
  it("a restarted server has the same stacks, state, history and lock", async () => {
    service = await startTestService(dataDir);
    const stack = "/api/stacks/alice/keep/dev";
    await createStack(service, "alice", "keep", "dev");
    await call(service, "PATCH", `${stack}/tags`, { body: { owner: "alice" } });
    const done = await startUpdate(service, stack);
    await call(service, "PATCH", `${stack}/update/${done.id}/checkpoint`, {
      updateToken: done.token,
      body: deploymentWith(2),
    });
    await call(service, "POST", `${stack}/update/${done.id}/complete`, {
      updateToken: done.token,
      body: { status: "succeeded" },
    });
    const running = await startUpdate(service, stack);
    await service.close();

    service = await startTestService(dataDir);
    const got = await call<{ tags: Record<string, string>; version: number; activeUpdate: string }>(
      service,
      "GET",
      stack,
    );
    expect(got.body).toMatchObject({ tags: { owner: "alice" }, version: 2, activeUpdate: running.id });
    const exported = await call<{ deployment: { resources: unknown[] } }>(service, "GET", `${stack}/export`);
    expect(exported.body.deployment.resources).toHaveLength(2);
    const history = await call<{ updates: { version: number; result: string }[] }>(
      service,
      "GET",
      `${stack}/updates`,
    );
    expect(history.body.updates.map((u) => [u.version, u.result])).toEqual([
      [2, "in-progress"],
      [1, "succeeded"],
    ]);
    const blocked = await startUpdate(service, stack).catch((e: unknown) => String(e));
    expect(blocked).toMatch(/409 .*Another update is currently in progress/);
    // The lease survives too: the running update's CLI could carry on against the new server.
    const completed = await call(service, "POST", `${stack}/update/${running.id}/complete`, {
      updateToken: running.token,
      body: { status: "succeeded" },
    });
    expect(completed.status).toBe(204);
    expect(allFiles(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a deleted stack stays deleted", async () => {
    service ??= await startTestService(dataDir);
    await createStack(service, "alice", "gone", "dev");
    await call(service, "DELETE", "/api/stacks/alice/gone/dev?force=false");
    await service.close();
    service = await startTestService(dataDir);
    expect((await call(service, "GET", "/api/stacks/alice/gone/dev")).status).toBe(404);
  });
});
