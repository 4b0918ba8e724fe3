// `instances:` entries as dstack writes them, against the pool records: by name, by host, and as a
// fleet's node number; and the flags that set them (--instance, --fleet, --reuse).
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import type { PoolInstance, PoolRecord } from "../../../src/pools/pool-store.js";
import { selects } from "../../../src/pools/reuse.js";

const node = (name: string, host?: string): PoolInstance => ({
  name,
  created_at: new Date(0).toISOString(),
  idle_duration: 300,
  ...(host === undefined ? {} : { host }),
});
const fleet: PoolRecord = { name: "gpus", fleet: "gpus", backend: "aws", region: "us-east-1", instances: [] };
const runs: PoolRecord = { name: "local", instances: [] };

describe("instances selectors", () => {
  it("match by name, host, or fleet node number", () => {
    expect(selects({ name: "gpus-1" }, fleet, node("gpus-1"))).toBe(true);
    expect(selects({ name: "gpus-1" }, fleet, node("gpus-0"))).toBe(false);
    expect(selects({ hostname: "10.0.0.5" }, runs, node("local-abc", "10.0.0.5"))).toBe(true);
    expect(selects({ fleet: { project: null, name: "gpus" }, instance: 1 }, fleet, node("gpus-1"))).toBe(
      true,
    );
    expect(selects({ fleet: { project: null, name: "gpus" }, instance: 1 }, runs, node("gpus-1"))).toBe(
      false,
    );
  });

  it("are set by --instance, with --fleet and --reuse beside them", () => {
    const r = compile({
      file: "t.yml",
      text: "type: task\ncommands: [hostname]\n",
      noProfile: true,
      overrides: { instances: ["local-abc"], fleets: ["gpus"], reuse: true },
    });
    expect(r.spec?.type === "task" && [r.spec.instances, r.spec.fleets, r.spec.creation_policy]).toEqual([
      [{ name: "local-abc" }],
      ["gpus"],
      "reuse",
    ]);
    expect(r.diagnostics).toEqual([]);
  });
});
