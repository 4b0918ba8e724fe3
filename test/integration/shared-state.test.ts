// One team, one state (issue 15), on the file backend of a shared folder and on S3 (the real MinIO of
// scripts/ensure-s3): three users (three HOMEs, three keys, DSTACK_USER alice, bob and carol) whose
// DSTACK_BACKEND_URL is the same. The records live beside the stacks there, not in anyone's ~/.dstack. Bob joined before alice's run, so her run's
// instance authorizes his key and he sees and reaches it; carol joins later and cannot reach it until
// alice runs `dstack ssh-key add`; then carol stops it, told whose run it was, and alice sees it stopped.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reaperPidFile } from "../../src/home/paths.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { e2eEnv, runCli } from "./e2e-cli.js";
import { createBucket, getObject, listKeys, requireS3 } from "./s3.js";
import { recordOf } from "../../src/shared-state/service-record-store.js";
import { startPulumiService, type PulumiService } from "../pulumi-service/server.js";
import { requirePulumi } from "./pulumi-path.js";

interface Backend {
  label: string;
  /** The backend URL and the environment its users need (credentials, per user), set up once. */
  open: () => Promise<{ url: string; env: (user: User) => Record<string, string> }>;
  /** The records of the backend: key or path -> text. */
  records: () => Promise<Map<string, string>>;
}

const users = ["alice", "bob", "carol"] as const;
type User = (typeof users)[number];

interface PsRun {
  name: string;
  status: string;
  instance: string;
  owner: { user: string; host: string } | null;
}

const folder = mkdtempSync(join(tmpdir(), "dstack-team-backend-"));
const BUCKET = `dstack-team-${process.pid}-${Date.now().toString(36)}`;

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path, readFileSync(path, "utf8"));
    }
  return out;
}

const BACKENDS: Backend[] = [
  {
    label: "a shared folder (file backend)",
    open: () => Promise.resolve({ url: `file://${folder}`, env: () => ({}) }),
    records: () => Promise.resolve(filesUnder(folder)),
  },
  {
    label: "S3 (MinIO)",
    open: async () => {
      const s3 = await requireS3();
      await createBucket(s3, BUCKET);
      return {
        url: `s3://${BUCKET}/team?endpoint=${s3.host}&disableSSL=true&s3ForcePathStyle=true&region=${s3.region}`,
        env: () => ({
          AWS_ACCESS_KEY_ID: s3.accessKey,
          AWS_SECRET_ACCESS_KEY: s3.secretKey,
          AWS_EC2_METADATA_DISABLED: "true",
        }),
      };
    },
    records: async () => {
      const s3 = await requireS3();
      const out = new Map<string, string>();
      for (const key of await listKeys(s3, BUCKET))
        out.set(key, (await getObject(s3, BUCKET, key)).toString("utf8"));
      return out;
    },
  },
  {
    label: "a Pulumi service (the stand-in, organization team)",
    open: async () => {
      service = await startPulumiService({
        dataDir: serviceDir,
        users: users.map((u) => ({ name: u, token: `token-of-${u}-${process.pid}`, orgs: ["team"] })),
      });
      return {
        url: service.url,
        env: (u: User) => ({
          PULUMI_ACCESS_TOKEN: `token-of-${u}-${process.pid}`,
          DSTACK_PULUMI_ORG: "team",
        }),
      };
    },
    records: () => {
      // Every stack of the team's dstack-* projects, its record by `/.dstack/<kind>/<name>.json`.
      const out = new Map<string, string>();
      const auth = { authorization: `token token-of-alice-${process.pid}` };
      return fetch(`${service?.url ?? ""}/api/user/stacks?organization=team`, { headers: auth })
        .then((r) => r.json() as Promise<{ stacks: { projectName: string; stackName: string }[] }>)
        .then(async ({ stacks }) => {
          for (const s of stacks.filter((x) => x.projectName.startsWith("dstack-"))) {
            const exported = await (
              await fetch(`${service?.url ?? ""}/api/stacks/team/${s.projectName}/${s.stackName}/export`, {
                headers: auth,
              })
            ).text();
            out.set(
              `team/.dstack/${s.projectName.slice("dstack-".length)}/${s.stackName}.json`,
              recordOf(JSON.parse(exported)) ?? exported,
            );
          }
          return out;
        });
    },
  },
];

let service: PulumiService | undefined;
const serviceDir = mkdtempSync(join(tmpdir(), "dstack-team-service-"));
afterAll(async () => {
  await service?.close();
});

beforeAll(() => {
  requirePulumi();
  requireDockerImages(localImages().instance, localImages().base);
});

describe.each(BACKENDS)("a team sharing $label (local backend)", (backend) => {
  const ID = `t${process.pid}${Date.now().toString(36)}${backend.label.length}`;
  const RUN = `team-${ID}`;
  const PASSPHRASE = `team-passphrase-${ID}`;
  const repo = mkdtempSync(join(tmpdir(), "dstack-team-repo-"));
  const homes = Object.fromEntries(
    users.map((u) => [u, mkdtempSync(join(tmpdir(), `dstack-team-${u}-`))]),
  ) as Record<User, string>;
  let shared = { url: "", env: (_u: User): Record<string, string> => ({}) };
  const envOf = (u: User) =>
    e2eEnv(homes[u], {
      ...shared.env(u),
      DSTACK_BACKEND_URL: shared.url,
      DSTACK_STATE_PASSPHRASE: PASSPHRASE,
      DSTACK_USER: u,
    });
  const cli = (u: User, args: string[]) => runCli(args, { cwd: repo, env: envOf(u), timeoutMs: 300_000 });
  const psOf = async (u: User, ...flags: string[]): Promise<PsRun[]> => {
    const r = await cli(u, ["ps", "--json", ...flags]);
    expect(r.code, r.out).toBe(0);
    return (JSON.parse(r.stdout) as { runs: PsRun[] }).runs;
  };
  /** The records of one folder (`members`, `runs`): their texts. */
  const recordsIn = async (kind: string): Promise<string[]> =>
    [...(await backend.records()).entries()]
      .filter(([key]) => key.includes(`/.dstack/${kind}/`) && key.endsWith(".json"))
      .map(([, text]) => text);
  let instance = "";

  beforeAll(async () => {
    shared = await backend.open();
    mkdirSync(join(repo, "cfg"));
    writeFileSync(
      join(repo, "cfg", "task.dstack.yml"),
      `type: task\nname: ${RUN}\ncommands: [sleep 600]\nbackends: [local]\nidle_duration: 30m\n`,
    );
  });

  afterAll(async () => {
    // Every instance of the team's pools, whoever made it (the records are shared).
    const listed = await cli("alice", ["pool", "ps", "--json"]);
    const names =
      listed.code === 0
        ? (JSON.parse(listed.stdout) as { instances: { name: string }[] }).instances.map((i) => i.name)
        : [];
    for (const name of new Set([instance, ...names].filter((n) => n !== "")))
      await cli("alice", ["pool", "remove", name, "--force", "-y"]);
    for (const name of new Set([instance, ...names]))
      for (const id of containersWithLabel(`dstack.instance=${name}`)) tryDocker(["rm", "-f", id]);
    for (const u of users)
      try {
        process.kill(Number(readFileSync(reaperPidFile(homes[u]), "utf8").trim()), "SIGTERM");
      } catch {
        // no reaper
      }
  }, 180_000);

  it("a member who ran dstack is recorded in the shared backend, with their key", async () => {
    expect(await psOf("bob")).toEqual([]);
    const members = (await recordsIn("members")).map(
      (t) => JSON.parse(t) as { user: string; public_key: string },
    );
    expect(members.map((m) => m.user)).toEqual(["bob"]);
    expect(members[0]?.public_key).toBe(
      readFileSync(join(homes.bob, ".dstack", "ssh", "id_ed25519.pub"), "utf8").trim(),
    );
  });

  it("alice's run is recorded in the shared backend with her as owner; nothing of it in her ~/.dstack", async () => {
    const applied = await cli("alice", ["apply", "-f", "cfg/task.dstack.yml", "-y", "-d"]);
    expect(applied.code, applied.out).toBe(0);
    expect((await recordsIn("runs")).map((t) => (JSON.parse(t) as { name: string }).name)).toEqual([RUN]);
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

  it("alice and bob applying to the same pool at once: both run, one on the idle instance, nothing lost", async () => {
    for (const u of ["alice", "bob"] as const)
      writeFileSync(
        join(repo, "cfg", `${u}.dstack.yml`),
        `type: task\nname: ${RUN}-${u}\ncommands: [sleep 600]\nbackends: [local]\nidle_duration: 30m\n`,
      );
    const [a, b] = await Promise.all(
      (["alice", "bob"] as const).map((u) => cli(u, ["apply", "-f", `cfg/${u}.dstack.yml`, "-y", "-d"])),
    );
    expect(a?.code, a?.out).toBe(0);
    expect(b?.code, b?.out).toBe(0);
    // Neither update of the shared pool's stack touched the other's instance (its user data keeps its
    // creator's key and folder).
    expect(`${a?.out ?? ""}${b?.out ?? ""}`).not.toContain("replace");
    const runs = await psOf("carol");
    const mine = runs.filter((r) => r.name.startsWith(`${RUN}-`));
    expect(mine.map((r) => [r.name, r.status, r.owner?.user]).sort()).toEqual([
      [`${RUN}-alice`, "running", "alice"],
      [`${RUN}-bob`, "running", "bob"],
    ]);
    // Two instances, one each: the earlier one reused by one of them, a new one for the other.
    expect(new Set(mine.map((r) => r.instance)).size).toBe(2);
    expect(mine.map((r) => r.instance)).toContain(instance);
    const pool = await cli("carol", ["pool", "ps", "--json"]);
    const instances = (JSON.parse(pool.stdout) as { instances: { name: string }[] }).instances.map(
      (i) => i.name,
    );
    expect(instances.sort()).toEqual(mine.map((r) => r.instance).sort());
  }, 300_000);

  it("no secret (the state passphrase, the cloud or service credentials) is in any record of the backend", async () => {
    const secrets = [
      PASSPHRASE,
      ...users.flatMap((u) => {
        const env = shared.env(u);
        return [env.AWS_SECRET_ACCESS_KEY, env.PULUMI_ACCESS_TOKEN].filter(
          (v): v is string => v !== undefined,
        );
      }),
    ];
    const records = [...(await backend.records()).entries()];
    expect(records.length).toBeGreaterThan(0);
    for (const secret of secrets)
      expect(records.filter(([, text]) => text.includes(secret)).map(([key]) => key)).toEqual([]);
  });
});
