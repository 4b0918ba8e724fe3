// One team, one state (issue 15), on the file backend of a shared folder: three users (three HOMEs,
// three keys, DSTACK_USER alice, bob and carol) whose DSTACK_BACKEND_URL is the same folder. The records
// live beside the stacks there, not in anyone's ~/.dstack. Bob joined before alice's run, so her run's
// instance authorizes his key and he sees and reaches it; carol joins later and cannot reach it until
// alice runs `dstack ssh-key add`; then carol stops it, told whose run it was, and alice sees it stopped.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reaperPidFile } from "../../src/home/paths.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { e2eEnv, runCli } from "./e2e-cli.js";
import { requirePulumi } from "./pulumi-path.js";

const ID = `t${process.pid}${Date.now().toString(36)}`;
const RUN = `team-${ID}`;
const PASSPHRASE = `team-passphrase-${ID}`;
const shared = mkdtempSync(join(tmpdir(), "dstack-team-backend-"));
const repo = mkdtempSync(join(tmpdir(), "dstack-team-repo-"));
const users = ["alice", "bob", "carol"] as const;
type User = (typeof users)[number];
const homes = Object.fromEntries(
  users.map((u) => [u, mkdtempSync(join(tmpdir(), `dstack-team-${u}-`))]),
) as Record<User, string>;
const envOf = (u: User) =>
  e2eEnv(homes[u], {
    DSTACK_BACKEND_URL: `file://${shared}`,
    DSTACK_STATE_PASSPHRASE: PASSPHRASE,
    DSTACK_USER: u,
  });
const cli = (u: User, args: string[]) => runCli(args, { cwd: repo, env: envOf(u), timeoutMs: 300_000 });

interface PsRun {
  name: string;
  status: string;
  instance: string;
  owner: { user: string; host: string } | null;
}
const psOf = async (u: User, ...flags: string[]): Promise<PsRun[]> => {
  const r = await cli(u, ["ps", "--json", ...flags]);
  expect(r.code, r.out).toBe(0);
  return (JSON.parse(r.stdout) as { runs: PsRun[] }).runs;
};

/** Every file under `dir` whose text contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(needle)) hits.push(path);
  }
  return hits;
}

let instance = "";

beforeAll(() => {
  requirePulumi();
  requireDockerImages(localImages().instance, localImages().base);
  mkdirSync(join(repo, "cfg"));
  writeFileSync(
    join(repo, "cfg", "task.dstack.yml"),
    `type: task\nname: ${RUN}\ncommands: [sleep 600]\nbackends: [local]\nidle_duration: 30m\n`,
  );
});

afterAll(async () => {
  if (instance !== "") await cli("alice", ["pool", "remove", instance, "--force", "-y"]);
  for (const id of containersWithLabel(`dstack.instance=${instance}`)) tryDocker(["rm", "-f", id]);
  for (const u of users)
    try {
      process.kill(Number(readFileSync(reaperPidFile(homes[u]), "utf8").trim()), "SIGTERM");
    } catch {
      // no reaper
    }
}, 180_000);

describe("a team sharing a file backend (local backend)", () => {
  it("a member who ran dstack is recorded in the shared backend, with their key", async () => {
    expect(await psOf("bob")).toEqual([]);
    const members = readdirSync(join(shared, ".dstack", "members"));
    expect(members).toHaveLength(1);
    const bob = JSON.parse(readFileSync(join(shared, ".dstack", "members", members[0] ?? ""), "utf8")) as {
      user: string;
      public_key: string;
    };
    expect(bob.user).toBe("bob");
    expect(bob.public_key).toBe(
      readFileSync(join(homes.bob, ".dstack", "ssh", "id_ed25519.pub"), "utf8").trim(),
    );
  });

  it("alice's run is recorded in the shared backend with her as owner; nothing of it in her ~/.dstack", async () => {
    const applied = await cli("alice", ["apply", "-f", "cfg/task.dstack.yml", "-y", "-d"]);
    expect(applied.code, applied.out).toBe(0);
    expect(existsSync(join(shared, ".dstack", "runs", `${RUN}.json`))).toBe(true);
    expect(existsSync(join(homes.alice, ".dstack", "runs"))).toBe(false);
    const [run] = await psOf("alice");
    expect(run).toMatchObject({ name: RUN, status: "running", owner: { user: "alice" } });
    instance = run?.instance ?? "";
  }, 300_000);

  it("bob, a member before the run, sees it running with alice as owner; --mine hides it", async () => {
    const seen = await psOf("bob");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: RUN, status: "running", owner: { user: "alice" } });
    expect(await psOf("bob", "--mine")).toEqual([]);
    const table = await cli("bob", ["ps"]);
    expect(table.stdout).toMatch(new RegExp(`${RUN}\\s+alice\\s+local`));
  }, 120_000);

  it("carol, who joined later, cannot reach it: ps says so and stop refuses, leaving the run alone", async () => {
    const [run] = await psOf("carol");
    expect(run).toMatchObject({ name: RUN, status: "no-access" });
    const stop = await cli("carol", ["stop", RUN, "-y"]);
    expect(stop.code, stop.out).toBe(1);
    expect(stop.stderr).toContain(`the run ${RUN} of alice@`);
    expect(stop.stderr).toContain("does not accept your key");
    expect(stop.stderr).toContain("dstack ssh-key add");
    expect((await psOf("alice"))[0]?.status).toBe("running");
  }, 120_000);

  it("after alice's `dstack ssh-key add`, carol stops it, told whose it was; alice sees it stopped", async () => {
    const added = await cli("alice", ["ssh-key", "add", "--json"]);
    expect(added.code, added.out).toBe(0);
    const out = JSON.parse(added.stdout) as {
      members: string[];
      instances: { instance: string; added: number }[];
    };
    expect(out.members.map((m) => m.split("@")[0]).sort()).toEqual(["alice", "bob", "carol"]);
    expect(out.instances).toEqual([expect.objectContaining({ instance, added: 1 })]);

    const stop = await cli("carol", ["stop", RUN, "-y"]);
    expect(stop.code, stop.out).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`Stopped ${RUN} \\(stopped\\): it was alice@[^ ]+'s run\\.`));
    const [after] = await psOf("alice", "-a");
    expect(after).toMatchObject({ name: RUN, status: "stopped" });
  }, 120_000);

  it("the state passphrase appears in no record and no file of the shared backend", () => {
    expect(filesContaining(shared, PASSPHRASE)).toEqual([]);
  });
});
