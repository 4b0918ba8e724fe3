// `dstack pool add` on the local backend (issue 13, seed 003): an instance provisioned in advance
// through the same pipeline (offers, the stack's diff, confirmation), idle in its pool with the pool's
// idle_duration; the next run reuses it with no infrastructure change (here named with --instance);
// `pool remove` destroys it; `--reuse` with nothing idle creates nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, beforeAll } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { requirePulumi } from "./pulumi-path.js";

const home = mkdtempSync(join(tmpdir(), "dstack-pool-add-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
  NO_COLOR: "1",
};

function cli(args: string[], cwd = home): { code: number; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8", timeout: 300_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

const localPool = (): { name: string; idle_duration: number | "off"; claimed_at?: string }[] => {
  try {
    return (
      JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8")) as {
        instances: { name: string; idle_duration: number | "off"; claimed_at?: string }[];
      }
    ).instances;
  } catch {
    return [];
  }
};

describe("dstack pool add (local backend)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
  });

  it("adds an idle instance that a run then reuses; remove destroys it", () => {
    const dry = cli(["pool", "add", "-b", "local", "--dry-run"]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain("+  create");
    expect(dry.out).toContain("Cost: $0/h (the local backend is this machine)");
    expect(localPool()).toEqual([]);

    const added = cli(["pool", "add", "-b", "local", "-y"]);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toMatch(/Added instance (local-[0-9a-f]{6}) to pool default-pool/);
    const [instance] = localPool();
    expect(instance?.idle_duration).toBe(72 * 3600);
    expect(instance?.claimed_at).toBeUndefined();
    const ps = JSON.parse(cli(["pool", "ps", "--json"]).stdout) as {
      instances: { name: string; status: string; price_hourly: number; cost_accrued: number }[];
    };
    expect(ps.instances).toEqual([
      expect.objectContaining({ name: instance?.name, status: "idle", price_hourly: 0, cost_accrued: 0 }),
    ]);

    // A run reuses it with no infrastructure change, and leaves its idle_duration as the pool's.
    const project = mkdtempSync(join(tmpdir(), "dstack-pool-add-project-"));
    writeFileSync(join(project, "task.dstack.yml"), "type: task\nname: reuse-it\ncommands: [hostname]\n");
    // `--instance NAME` (instances: [NAME]) places it there; an unknown name is refused before anything.
    const unknown = cli(
      ["apply", "-f", join(project, "task.dstack.yml"), "-y", "--instance", "local-nope"],
      project,
    );
    expect(unknown.code, unknown.out).toBe(1);
    expect(unknown.out).toContain("instances: no instance named local-nope");
    const task = cli(
      ["apply", "-f", join(project, "task.dstack.yml"), "-y", "--instance", instance?.name ?? ""],
      project,
    );
    expect(task.out).toContain(`Reusing idle instance ${instance?.name ?? ""}: no infrastructure changes.`);
    expect(task.out).toContain(`Cost: no new instance (reusing idle instance ${instance?.name ?? ""})`);
    expect(task.code, task.out).toBe(0);
    expect(localPool().map((i) => [i.name, i.idle_duration])).toEqual([[instance?.name, 72 * 3600]]);

    const removed = cli(["pool", "remove", instance?.name ?? "", "-y"]);
    expect(removed.code, removed.out).toBe(0);
    expect(localPool()).toEqual([]);

    // `--reuse` (creation_policy: reuse) with no idle instance creates nothing.
    const reuse = cli(["apply", "-f", join(project, "task.dstack.yml"), "-y", "--reuse"], project);
    expect(reuse.code, reuse.out).toBe(1);
    expect(reuse.out).toContain("and creation_policy: reuse creates none");
    expect(localPool()).toEqual([]);
  }, 300_000);

  it("named pools: a run with --pool reuses that pool's instance; one without --pool does not", () => {
    expect(cli(["pool", "create", "-n", "boxes"]).code).toBe(0);
    const added = cli(["pool", "add", "-b", "local", "-y", "--pool", "boxes", "--name", "box-one"]);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain("Added instance box-one to pool boxes");
    expect(cli(["pool", "list"]).stdout).toMatch(/boxes +pool +1\/1/);
    expect(cli(["pool", "ps", "--pool", "boxes"]).stdout).toMatch(/box-one +boxes +local/);
    // The name is taken now: a second add with it is refused before anything.
    const taken = cli(["pool", "add", "-b", "local", "-y", "--name", "box-one"]);
    expect(taken.code).toBe(1);
    expect(taken.out).toContain("an instance named box-one already exists");

    const project = mkdtempSync(join(tmpdir(), "dstack-pool-named-project-"));
    writeFileSync(join(project, "task.dstack.yml"), "type: task\nname: in-boxes\ncommands: [hostname]\n");
    // Without --pool, the default pool (default-pool) has nothing idle: with --reuse nothing is created.
    const outside = cli(["apply", "-f", join(project, "task.dstack.yml"), "-y", "--reuse"], project);
    expect(outside.code, outside.out).toBe(1);
    expect(localPool().map((i) => i.name)).toEqual(["box-one"]);
    const inside = cli(["apply", "-f", join(project, "task.dstack.yml"), "-y", "--pool", "boxes"], project);
    expect(inside.code, inside.out).toBe(0);
    expect(inside.out).toContain("Reusing idle instance box-one: no infrastructure changes.");

    // A pool with an instance is not deleted; after the removal it is.
    expect(cli(["pool", "delete", "-n", "boxes", "-y"]).out).toContain(
      "pool boxes still has 1 instance: box-one",
    );
    expect(cli(["pool", "remove", "box-one", "--pool", "boxes", "-y"]).code).toBe(0);
    expect(localPool()).toEqual([]);
    expect(cli(["pool", "delete", "-n", "boxes", "-y"]).code).toBe(0);
    expect(cli(["pool", "list"]).stdout).not.toContain("boxes");
  }, 300_000);
});
