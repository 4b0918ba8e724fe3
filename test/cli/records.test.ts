// Records dstack cannot read, as a user meets them: `ps` lists every other run and names each bad
// record on stderr (its file, what is wrong, what to do), with --json still one clean document on
// stdout; a command about that very record (`stop NAME`) refuses with the same words.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/runs/store.js";
import { runRecord } from "../unit/toolkit/homes.js";
import { dstack } from "./run-cli.js";

const run = (name: string): RunRecord => runRecord(name);

function home(): string {
  const h = mkdtempSync(join(tmpdir(), "dstack-records-cli-"));
  const runs = join(h, ".dstack", "runs");
  const pools = join(h, ".dstack", "pools");
  mkdirSync(runs, { recursive: true });
  mkdirSync(pools, { recursive: true });
  writeFileSync(join(runs, "good.json"), JSON.stringify(run("good")));
  writeFileSync(join(runs, "typed.json"), JSON.stringify({ ...run("typed"), price: "free" }));
  writeFileSync(join(runs, "cut.json"), JSON.stringify(run("cut")).slice(0, 40));
  writeFileSync(join(runs, "future.json"), JSON.stringify({ record_version: 2, name: "future" }));
  writeFileSync(join(pools, "local.json"), '{"name": "local", "instances": 3}');
  return h;
}

describe("unreadable records", () => {
  const h = home();
  const file = (kind: string, name: string): string => join(h, ".dstack", kind, `${name}.json`);

  it("ps lists the readable runs and warns about each unreadable record", () => {
    const ps = dstack(["ps", "-a"], { env: { HOME: h } });
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/ good +local +2\.\.xCPU/);
    expect(ps.stdout).not.toMatch(/typed|cut|future/);
    const warnings = ps.stderr.split("\n").filter((l) => l.startsWith("warning: "));
    // The parser's own words for damaged JSON vary with the Node version.
    const cut = `warning: cannot read the run record ${file("runs", "cut")}: not JSON (`;
    expect(warnings.filter((w) => w.startsWith(cut) && w.endsWith(") (skipped)"))).toHaveLength(1);
    expect(warnings.filter((w) => !w.startsWith(cut)).sort()).toEqual(
      [
        `warning: cannot read the run record ${file("runs", "typed")}: price: expected number, received string (skipped)`,
        `warning: the run record ${file("runs", "future")} was written by a newer dstack (record version 2; this dstack reads up to 1) (skipped)`,
        `warning: cannot read the pool record ${file("pools", "local")}: instances: expected array, received number (skipped)`,
      ].sort(),
    );
    expect(ps.stderr).toContain(
      "hint: it was changed outside dstack: restore it, or remove it (dstack forgets the pool's instances, which may still exist and cost money: restore the file rather than remove it)",
    );
    expect(ps.stderr).toContain("hint: upgrade dstack to use it");
    const json = dstack(["ps", "-a", "--json"], { env: { HOME: h } });
    expect(json.code, json.stderr).toBe(0);
    const runs = (JSON.parse(json.stdout) as { runs: { name: string }[] }).runs;
    expect(runs.map((r) => r.name)).toEqual(["good"]);
  });

  it("stop of an unreadable run refuses, naming the file and the problem", () => {
    const stop = dstack(["stop", "typed", "-y"], { env: { HOME: h } });
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain(
      `error: cannot read the run record ${file("runs", "typed")}: price: expected number, received string`,
    );
    const newer = dstack(["stop", "future", "-y"], { env: { HOME: h } });
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain("was written by a newer dstack");
    expect(newer.stderr).toContain("hint: upgrade dstack to use it");
  });
});
