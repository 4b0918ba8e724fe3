// `dstack ps` from the run records alone (no instance answers): -v and --json say where each run landed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/runs/store.js";
import { dstack } from "./run-cli.js";

function homeWithRuns(runs: RunRecord[]): string {
  const home = mkdtempSync(join(tmpdir(), "dstack-ps-"));
  mkdirSync(join(home, ".dstack", "runs"), { recursive: true });
  for (const run of runs)
    writeFileSync(join(home, ".dstack", "runs", `${run.name}.json`), JSON.stringify(run));
  return home;
}

const run = (name: string, over: Partial<RunRecord> = {}): RunRecord => ({
  name,
  type: "task",
  backend: "local",
  pool: "local",
  instance: `local-${name}`,
  instance_ssh_port: 1, // nothing listens there: the instance is gone
  run_ssh_port: 10022,
  resources: "2..xCPU",
  price: 0,
  submitted_at: "2026-01-01T00:00:00.000Z",
  config_file: ".dstack.yml",
  spec: {},
  ports: [],
  ...over,
});

describe("dstack ps", () => {
  const home = homeWithRuns([
    run("zoned", { region: "local", zone: "zone-c" }),
    // A record from before zones were recorded.
    run("older", { submitted_at: "2025-12-31T00:00:00.000Z" }),
  ]);

  it("-v shows the instance and the zone of each run", () => {
    const r = dstack(["ps", "-a", "-v"], { env: { HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split("\n");
    expect(head).toMatch(/^ NAME +BACKEND +INSTANCE +ZONE +RESOURCES +PRICE +STATUS +SUBMITTED$/);
    expect(rows.find((l) => l.includes("zoned"))).toMatch(/zoned +local +local-zoned +zone-c +2\.\.xCPU/);
    expect(rows.find((l) => l.includes("older"))).toMatch(/older +local +local-older +- +2\.\.xCPU/);
    // Without -v, the columns stay as they were.
    expect(dstack(["ps", "-a"], { env: { HOME: home } }).stdout).not.toContain("ZONE");
  });

  it("--json has the region and zone", () => {
    const r = dstack(["ps", "-a", "--json"], { env: { HOME: home } });
    const runs = (JSON.parse(r.stdout) as { runs: Record<string, unknown>[] }).runs;
    expect(runs.map((x) => [x.name, x.region, x.zone, x.status])).toEqual([
      ["older", null, null, "ended"],
      ["zoned", "local", "zone-c", "ended"],
    ]);
  });
});
