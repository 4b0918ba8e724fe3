// The testing aids of provisioning, read from the environment, and the local backend's settings for apply.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localSettings } from "../../../src/pools/local/local-settings.js";
import { provisionTuning } from "../../../src/provisioning/provision-tuning.js";

describe("provisionTuning", () => {
  it("defaults to a 10-minute deadline and the real backoff", () => {
    expect(provisionTuning({})).toEqual({ attemptTimeoutMs: 600_000, backoffScale: 1 });
  });

  it("reads DSTACK_ATTEMPT_TIMEOUT as a duration and DSTACK_BACKOFF_SCALE as a factor", () => {
    expect(provisionTuning({ DSTACK_ATTEMPT_TIMEOUT: "90s", DSTACK_BACKOFF_SCALE: "0.01" })).toEqual({
      attemptTimeoutMs: 90_000,
      backoffScale: 0.01,
    });
    expect(provisionTuning({ DSTACK_ATTEMPT_TIMEOUT: "120" }).attemptTimeoutMs).toBe(120_000);
  });

  it("refuses values that cannot be meant", () => {
    for (const env of [
      { DSTACK_ATTEMPT_TIMEOUT: "soon" },
      { DSTACK_ATTEMPT_TIMEOUT: "0" },
      { DSTACK_BACKOFF_SCALE: "0" },
      { DSTACK_BACKOFF_SCALE: "fast" },
    ])
      expect(() => provisionTuning(env)).toThrow(/is not a positive/);
  });
});

describe("localSettings", () => {
  const home = (config?: string): string => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-settings-"));
    if (config !== undefined) {
      mkdirSync(join(dir, ".dstack"));
      writeFileSync(join(dir, ".dstack", "config.yml"), config);
    }
    return dir;
  };

  it("no config: no zones, no faults", () => {
    expect(localSettings(home())).toEqual({ zones: [] });
  });

  it("zones and faults become the fault inputs of the instances, with the state file under ~/.dstack/local", () => {
    const dir = home(
      "backends:\n  - type: local\n    zones: [a, b]\n    faults: {no_capacity: [a], no_capacity_for: 1m}\n",
    );
    expect(localSettings(dir)).toEqual({
      zones: ["a", "b"],
      faults: {
        zones: ["a", "b"],
        no_capacity: ["a"],
        no_capacity_for: 60,
        state_file: join(dir, ".dstack", "local", "faults.json"),
      },
    });
  });

  it("no_capacity_until_file: a relative path is ~/.dstack's", () => {
    const dir = home(
      "backends:\n  - type: local\n    zones: [a]\n    faults: {no_capacity: [a], no_capacity_until_file: capacity}\n",
    );
    expect(localSettings(dir).faults?.no_capacity_until_file).toBe(join(dir, ".dstack", "capacity"));
    const absolute = home(
      "backends:\n  - type: local\n    zones: [a]\n    faults: {no_capacity: [a], no_capacity_until_file: /tmp/cap}\n",
    );
    expect(localSettings(absolute).faults?.no_capacity_until_file).toBe("/tmp/cap");
  });

  it("errors stop apply with every FILE:LINE:COL", () => {
    const dir = home(
      "backends:\n  - type: local\n    zones: [a]\n    faults: {no_capacity: [b], no_capacity_for: x}\n",
    );
    expect(() => localSettings(dir)).toThrow(
      new RegExp(
        `has 2 errors:\\n  ${join(dir, ".dstack", "config.yml")}:4:28: error: backends\\[0\\]\\.faults\\.no_capacity\\[0\\]: "b" is not one of this backend's zones \\(a\\)`,
      ),
    );
  });
});
