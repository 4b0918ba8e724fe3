// Updates: the lock (409 with the text the Automation API maps to ConcurrentUpdateError), leases (wrong
// token, expiry, renewal), checkpoints into the current state, engine events into history, completion,
// `pulumi cancel`, previews outside history, imports as versions.
import { describe, expect, it } from "vitest";
import type { PulumiService } from "./server.js";
import { call, createStack, deploymentWith, serviceForFile, startUpdate } from "./test-client.js";

// The server's clock, moved by tests that need a lease to expire without waiting for it.
let clock = Date.now();
let service: PulumiService;
serviceForFile(
  (s) => {
    service = s;
  },
  { now: () => clock, maxLeaseSeconds: 60 },
);

const IN_PROGRESS = { code: 409, message: "Conflict: Another update is currently in progress." };

async function freshStack(name: string): Promise<string> {
  await createStack(service, "alice", "upd", name);
  return `/api/stacks/alice/upd/${name}`;
}

interface HistoryEntry {
  kind: string;
  version: number;
  result: string;
  resourceChanges?: Record<string, number>;
  resourceCount: number;
}

describe("pulumi service stand-in: updates", () => {
  it("create answers an updateID; start answers version 1, a lease token and its expiry", async () => {
    const stack = await freshStack("basic");
    const created = await call(service, "POST", `${stack}/update`, {
      body: { config: {}, metadata: { message: "m" } },
    });
    expect(created.status).toBe(200);
    expect(created.body.updateID).toMatch(/^[0-9a-f-]{36}$/);
    const started = await call(service, "POST", `${stack}/update/${String(created.body.updateID)}`, {
      body: {},
    });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({
      version: 1,
      token: expect.stringMatching(/^[0-9a-f]{48}$/) as unknown,
      tokenExpiration: Math.floor(clock / 1000) + 60,
    });
    const again = await call(service, "POST", `${stack}/update/${String(created.body.updateID)}`, {
      body: {},
    });
    expect(again.status).toBe(409);
  });

  it("a second update of any kind cannot start while one runs: 409 'Another update is currently in progress.'", async () => {
    const stack = await freshStack("locked");
    const first = await startUpdate(service, stack);
    for (const kind of ["update", "preview", "refresh", "destroy"]) {
      const created = await call<{ updateID: string }>(service, "POST", `${stack}/${kind}`, { body: {} });
      expect(created.status).toBe(200); // creating is allowed; starting takes the lock
      const started = await call(service, "POST", `${stack}/${kind}/${created.body.updateID}`, { body: {} });
      expect(started).toEqual({ status: 409, body: IN_PROGRESS });
    }
    const imported = await call(service, "POST", `${stack}/import`, { body: deploymentWith(0) });
    expect(imported).toEqual({ status: 409, body: IN_PROGRESS });
    const got = await call<{ activeUpdate: string; currentOperation: { kind: string; author: string } }>(
      service,
      "GET",
      stack,
    );
    expect(got.body.activeUpdate).toBe(first.id);
    expect(got.body.currentOperation).toMatchObject({ kind: "update", author: "alice" });

    await call(service, "POST", `${stack}/update/${first.id}/complete`, {
      updateToken: first.token,
      body: { status: "succeeded" },
    });
    const next = await startUpdate(service, stack);
    expect(next.version).toBe(2);
  });

  it("lease calls need the update's own token (401) of a running update (409 once completed)", async () => {
    const stack = await freshStack("lease");
    const a = await startUpdate(service, stack);
    const wrong = await call(service, "PATCH", `${stack}/update/${a.id}/checkpoint`, {
      updateToken: "not-it",
      body: deploymentWith(0),
    });
    expect(wrong.status).toBe(401);
    await call(service, "POST", `${stack}/update/${a.id}/complete`, {
      updateToken: a.token,
      body: { status: "failed" },
    });
    const late = await call(service, "PATCH", `${stack}/update/${a.id}/checkpoint`, {
      updateToken: a.token,
      body: deploymentWith(0),
    });
    expect(late).toEqual({
      status: 409,
      body: { code: 409, message: "Conflict: The update has already completed." },
    });
  });

  it("checkpoints (gzipped, whole or verbatim) become the current state; a stale verbatim sequence is ignored", async () => {
    const stack = await freshStack("checkpoints");
    const u = await startUpdate(service, stack);
    const patched = await call(service, "PATCH", `${stack}/update/${u.id}/checkpoint`, {
      updateToken: u.token,
      gzip: true,
      body: { isInvalid: false, ...deploymentWith(1) },
    });
    expect(patched.status).toBe(204);
    const exported1 = await call<{ deployment: { resources: unknown[] } }>(service, "GET", `${stack}/export`);
    expect(exported1.body.deployment.resources).toHaveLength(1);

    const verbatim = (n: number, seq: number): Promise<unknown> =>
      call(service, "PATCH", `${stack}/update/${u.id}/checkpointverbatim`, {
        updateToken: u.token,
        gzip: true,
        body: { version: 3, untypedDeployment: deploymentWith(n), sequenceNumber: seq },
      });
    await verbatim(3, 2);
    await verbatim(2, 1); // arrives late
    const exported2 = await call<{ deployment: { resources: unknown[] } }>(service, "GET", `${stack}/export`);
    expect(exported2.body.deployment.resources).toHaveLength(3);

    const bad = await call(service, "PATCH", `${stack}/update/${u.id}/checkpoint`, {
      updateToken: u.token,
      body: { version: "three" },
    });
    expect(bad.status).toBe(400);
  });

  it("completion keeps the version's state and the summary's changes in history, newest first", async () => {
    const stack = await freshStack("history");
    for (const [n, kind] of [
      [2, "update"],
      [2, "refresh"],
      [0, "destroy"],
    ] as const) {
      const u = await startUpdate(service, stack, kind);
      await call(service, "PATCH", `${stack}/update/${u.id}/checkpoint`, {
        updateToken: u.token,
        body: deploymentWith(n),
      });
      const events = [
        { sequence: 1, timestamp: 1, stdoutEvent: { message: "hi", color: "raw" } },
        { sequence: 2, timestamp: 2, summaryEvent: { resourceChanges: { create: n }, durationSeconds: 1 } },
      ];
      const posted = await call(service, "POST", `${stack}/update/${u.id}/events/batch`, {
        updateToken: u.token,
        gzip: true,
        body: { events },
      });
      expect(posted.status).toBe(204);
      await call(service, "POST", `${stack}/update/${u.id}/complete`, {
        updateToken: u.token,
        body: { status: "succeeded" },
      });
    }
    const preview = await startUpdate(service, stack, "preview");
    expect(preview.version).toBe(3); // a preview looks at the current version and makes none
    await call(service, "POST", `${stack}/update/${preview.id}/complete`, {
      updateToken: preview.token,
      body: { status: "succeeded" },
    });

    const history = await call<{ updates: HistoryEntry[] }>(service, "GET", `${stack}/updates`);
    expect(history.body.updates.map((u) => [u.version, u.kind, u.result, u.resourceCount])).toEqual([
      [3, "destroy", "succeeded", 0],
      [2, "refresh", "succeeded", 2],
      [1, "update", "succeeded", 2],
    ]);
    expect(history.body.updates[2]?.resourceChanges).toEqual({ create: 2 });
    const page2 = await call<{ updates: HistoryEntry[] }>(
      service,
      "GET",
      `${stack}/updates?pageSize=2&page=2`,
    );
    expect(page2.body.updates.map((u) => u.version)).toEqual([1]);
    const latest = await call<{ info: HistoryEntry }>(service, "GET", `${stack}/updates/latest`);
    expect(latest.body.info.version).toBe(3);

    const v1 = await call<{ deployment: { resources: unknown[] } }>(service, "GET", `${stack}/export/1`);
    expect(v1.body.deployment.resources).toHaveLength(2);
    expect((await call(service, "GET", `${stack}/export/9`)).status).toBe(404);
    const events = await call<{ events: unknown[] }>(service, "GET", `${stack}/update/${preview.id}/events`);
    expect(events.body.events).toEqual([]);
  });

  it("an expired lease is refused (403) but keeps the stack locked until cancel", async () => {
    const stack = await freshStack("expired");
    const u = await startUpdate(service, stack);
    clock += 61_000;
    const renew = await call(service, "POST", `${stack}/update/${u.id}/renew_lease`, {
      updateToken: u.token,
      body: { token: u.token, duration: 60 },
    });
    expect(renew).toEqual({
      status: 403,
      body: { code: 403, message: "Forbidden: The update's lease has expired." },
    });
    const other = await call<{ updateID: string }>(service, "POST", `${stack}/update`, { body: {} });
    const blocked = await call(service, "POST", `${stack}/update/${other.body.updateID}`, { body: {} });
    expect(blocked).toEqual({ status: 409, body: IN_PROGRESS });

    // `pulumi cancel` cancels the stack's activeUpdate: still the lock holder, not the newer one.
    const got = await call<{ activeUpdate: string }>(service, "GET", stack);
    expect(got.body.activeUpdate).toBe(u.id);
    expect((await call(service, "POST", `${stack}/update/${u.id}/cancel`)).status).toBe(204);
    expect((await call(service, "POST", `${stack}/update/${u.id}/cancel`)).status).toBe(409);
    const status = await call(service, "GET", `${stack}/update/${u.id}`);
    expect(status.body).toEqual({ status: "cancelled", events: [] });
    const next = await startUpdate(service, stack);
    expect(next.version).toBe(2);
    const history = await call<{ updates: HistoryEntry[] }>(service, "GET", `${stack}/updates`);
    expect(history.body.updates.map((h) => [h.version, h.result])).toEqual([
      [2, "in-progress"],
      [1, "failed"],
    ]);
  });

  it("renewal extends the lease, capped at the longest lease; the token stays the same", async () => {
    const stack = await freshStack("renew");
    const u = await startUpdate(service, stack);
    clock += 50_000;
    const renewed = await call(service, "POST", `${stack}/update/${u.id}/renew_lease`, {
      updateToken: u.token,
      body: { token: u.token, duration: 3600 },
    });
    expect(renewed.body).toEqual({ token: u.token, tokenExpiration: Math.floor(clock / 1000) + 60 });
    clock += 50_000; // past the first expiry, within the renewed one
    const ok = await call(service, "POST", `${stack}/update/${u.id}/complete`, {
      updateToken: u.token,
      body: { status: "succeeded" },
    });
    expect(ok.status).toBe(204);
  });

  it("a cancelled update's CLI is told so on its next lease call", async () => {
    const stack = await freshStack("cancelled");
    const u = await startUpdate(service, stack);
    await call(service, "POST", `${stack}/update/${u.id}/cancel`);
    const r = await call(service, "POST", `${stack}/update/${u.id}/events/batch`, {
      updateToken: u.token,
      body: { events: [] },
    });
    expect(r).toEqual({
      status: 409,
      body: { code: 409, message: "Conflict: The update has been cancelled." },
    });
  });

  it("an import is a version of its own and is polled as a succeeded update", async () => {
    const stack = await freshStack("import");
    const imported = await call<{ updateId: string }>(service, "POST", `${stack}/import`, {
      gzip: true,
      body: deploymentWith(4),
    });
    expect(imported.status).toBe(200);
    const status = await call(service, "GET", `${stack}/update/${imported.body.updateId}`);
    expect(status.body).toEqual({ status: "succeeded", events: [] });
    const history = await call<{ updates: HistoryEntry[] }>(service, "GET", `${stack}/updates`);
    expect(history.body.updates.map((h) => [h.version, h.kind, h.resourceCount])).toEqual([[1, "import", 4]]);
    expect((await call(service, "POST", `${stack}/import`, { body: { version: 3 } })).status).toBe(400);
  });

  it("an update id of another stack is not found", async () => {
    const a = await freshStack("mine");
    const b = await freshStack("theirs");
    const u = await startUpdate(service, a);
    expect((await call(service, "GET", `${b}/update/${u.id}`)).status).toBe(404);
  });
});
