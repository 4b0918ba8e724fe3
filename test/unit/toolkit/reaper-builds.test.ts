// The reaper's idea of "idle" with image builds (dstack build): a build not ended holds the instance
// like an active run, and a build's end counts as the instance's last activity.
import { describe, expect, it } from "vitest";
import type { PoolInstance } from "../../../src/pools/pool-store.js";
import type { BuildView } from "../../../src/runtime-agent/builder.js";
import { idleSince, isExpired } from "../../../src/toolkit/reaper.js";

const created = Date.parse("2026-01-01T00:00:00Z");
const instance = {
  name: "local-ab12cd",
  created_at: new Date(created).toISOString(),
  idle_duration: 300,
} as unknown as PoolInstance;

const build = (status: BuildView["status"], finishedAt: number | null): BuildView => ({
  name: "build-0123456789abcdef",
  status,
  exit_code: null,
  message: null,
  log_tail: null,
  base_image: "dstack/base:py3.11",
  image: "127.0.0.1:5000/dstack-prebuilt/dev:0123456789abcdef",
  digest: null,
  size: null,
  container_id: null,
  repo_uploaded: true,
  started_at: new Date(created).toISOString(),
  finished_at: finishedAt === null ? null : new Date(finishedAt).toISOString(),
});

describe("idleSince with builds", () => {
  it("a build under way keeps the instance busy, whatever its idle_duration", () => {
    for (const status of ["pending", "pulling", "building", "committing", "pushing"] as const) {
      const since = idleSince(instance, [], [build(status, null)]);
      expect(since).toBeNull();
      expect(isExpired(instance, since, created + 3_600_000)).toBe(false);
    }
  });

  it("idle from the build's end, not from the instance's creation", () => {
    const ended = created + 20 * 60_000;
    for (const status of ["succeeded", "failed"] as const) {
      const since = idleSince(instance, [], [build(status, ended)]);
      expect(since).toBe(ended);
      expect(isExpired(instance, since, ended + 299_000)).toBe(false);
      expect(isExpired(instance, since, ended + 300_000)).toBe(true);
    }
  });
});
