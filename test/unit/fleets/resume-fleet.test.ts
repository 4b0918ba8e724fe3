// The background retrying of a fleet refuses a configuration that is not the one `apply` confirmed
// (the file changed before the process compiled it again): the record says failed and why, and no
// pool is touched (the pools given here would throw if they were).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PoolSet } from "../../../src/pools/pool-set.js";
import { resumeFleet } from "../../../src/fleets/resume-fleet.js";
import { readFleet, writeFleet } from "../../../src/fleets/store.js";
import { fleetRecord, fleetSpec } from "./fixtures.js";

const untouchable = new Proxy({} as PoolSet, {
  get: () => {
    throw new Error("the pools were used");
  },
});

describe("resumeFleet", () => {
  it("a configuration changed since apply is not created: the record says failed (configuration changed)", async () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-resume-fleet-"));
    const confirmed = fleetSpec("name: gpus\nnodes: 2\nbackends: [aws]\n");
    const edited = fleetSpec("name: gpus\nnodes: 3\nbackends: [aws]\n");
    const pending = fleetRecord({
      status: "pending",
      instances: [],
      retrying: {
        reason: "no capacity",
        pass: 1,
        attempts: 5,
        next_try_at: new Date().toISOString(),
        trying: null,
        process: null,
        submitted_at: new Date().toISOString(),
        cwd: "/repo",
        log_file: join(home, "log"),
        spec: JSON.parse(JSON.stringify(confirmed)) as Record<string, unknown>,
      },
    });
    writeFleet(home, pending);
    await expect(
      resumeFleet({
        spec: edited,
        pending,
        home,
        pools: untouchable,
        progress: () => undefined,
      }),
    ).rejects.toMatchObject({ code: "config-changed" });
    const failed = readFleet(home, "gpus");
    expect(failed?.status).toBe("failed");
    expect(failed?.retrying?.reason).toBe("configuration changed");
    expect(failed?.retrying?.message).toContain("changed since `dstack apply`");
  });
});
