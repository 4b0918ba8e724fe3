// Stale stack locks on an S3 backend, against the real MinIO `scripts/ensure-s3` runs and the real
// Pulumi CLI. A `pulumi up` SIGKILLed mid-update leaves its lock object in the bucket; the next update
// through stack-runner finds, from the engine's error text, that its holder (this host, pid gone) is
// dead, runs `pulumi cancel`, says so through onOutput and succeeds. The same with a lock object PUT in
// exactly the place and shape the killed `pulumi` wrote, naming a process that exited. A lock naming a
// live process is never touched: the update fails as "locked" and the object stays.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineError } from "../../src/engine/errors.js";
import { pulumiRoot } from "../../src/engine/pulumi-cli.js";
import { destroy, up, type StackTarget } from "../../src/engine/stack-runner.js";
import { resolveStateBackend } from "../../src/engine/state-backend.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";
import {
  createBucket,
  getObject,
  listKeys,
  removeBucket,
  requireS3,
  s3Request,
  type S3Server,
} from "./s3.js";

const PROJECT = "dstack-s3-lock-it";
const run = `${Date.now().toString(36)}-${process.pid}`;
const BUCKET = `dstack-lock-it-${run}`;
const STACK = `lock-${run}`;
const PASSPHRASE = `passphrase-${run}`;
const home = mkdtempSync(join(tmpdir(), "dstack-s3-lock-"));
const LOCKS = ".pulumi/locks/";

const backendUrl = (s3: S3Server): string =>
  `s3://${BUCKET}?endpoint=${s3.host}&disableSSL=true&s3ForcePathStyle=true&region=${s3.region}`;

function engineEnv(s3: S3Server): Record<string, string> {
  return {
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    AWS_ACCESS_KEY_ID: s3.accessKey,
    AWS_SECRET_ACCESS_KEY: s3.secretKey,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

function target(s3: S3Server, binDir: string, answer: number): StackTarget {
  return {
    project: PROJECT,
    stack: STACK,
    program: () => Promise.resolve({ answer }),
    backend: resolveStateBackend({
      home,
      env: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
      backendUrl: backendUrl(s3),
    }),
    pulumiBinDir: binDir,
    env: engineEnv(s3),
  };
}

/**
 * An update that never ends, in its own process group: the Automation API's inline program never
 * resolves, so its `pulumi up` holds the stack's lock until killed.
 */
const HOLDER = `
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
const [project, stack, url, root] = process.argv.slice(1);
const pulumiCommand = await PulumiCommand.get({ root: root || undefined });
const s = await LocalWorkspace.selectStack(
  { projectName: project, stackName: stack, program: () => new Promise(() => undefined) },
  { pulumiCommand, projectSettings: { name: project, runtime: "nodejs", backend: { url } } },
);
await s.up();
`;

const lockKeys = async (s3: S3Server): Promise<string[]> =>
  (await listKeys(s3, BUCKET)).filter((k) => k.startsWith(LOCKS));

/** A pid that was this host's and has exited. */
const exitedPid = (): number =>
  Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );

/** The lock object as Pulumi's DIY backend writes it (key order and nanosecond time as captured). */
function lockObject(pid: number): Buffer {
  const timestamp = new Date().toISOString().replace(/Z$/, "000000Z");
  return Buffer.from(JSON.stringify({ pid, username: userInfo().username, hostname: hostname(), timestamp }));
}

async function putLock(s3: S3Server, dir: string, pid: number): Promise<string> {
  const key = `${dir}/${randomUUID()}.json`;
  const res = await s3Request(s3, "PUT", `/${BUCKET}/${key}`, {}, lockObject(pid));
  expect(res.status).toBe(200);
  return key;
}

describe("stale stack locks in a real S3 backend (MinIO on 127.0.0.1)", () => {
  let s3: S3Server | undefined;
  let binDir: string | undefined;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (s3 !== undefined && binDir !== undefined)
      await destroy(target(s3, binDir, 0), { remove: true }).catch(() => undefined);
    if (s3 !== undefined) await removeBucket(s3, BUCKET).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it("a killed pulumi's lock, and one PUT for an exited pid, are removed; a live holder's is not", async () => {
    s3 = await requireS3();
    const cli = requirePulumi();
    binDir = cli.binDir;
    await createBucket(s3, BUCKET);
    expect((await up(target(s3, binDir, 1))).outputs).toEqual({ answer: 1 });

    // 1. A real `pulumi up` SIGKILLed (with the process that drove it) while it holds the lock.
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", HOLDER, PROJECT, STACK, backendUrl(s3), pulumiRoot(binDir) ?? ""],
      {
        cwd: process.cwd(),
        detached: true,
        stdio: "ignore",
        env: {
          ...process.env,
          ...engineEnv(s3),
          PATH: `${binDir}:${process.env.PATH ?? ""}`,
          PULUMI_BACKEND_URL: backendUrl(s3),
          PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        },
      },
    );
    children.push(holder);
    const [key] = await until(
      "the running update's lock object",
      async () => {
        const keys = await lockKeys(s3!);
        return keys.length > 0 ? keys : undefined;
      },
      60_000,
      { intervalMs: 250 },
    );
    // Where and what Pulumi 3.248.0 writes: .pulumi/locks/organization/<project>/<stack>/<uuid>.json.
    expect(key).toMatch(
      new RegExp(`^\\.pulumi/locks/organization/${PROJECT}/${STACK}/[0-9a-f-]{36}\\.json$`),
    );
    const written = JSON.parse((await getObject(s3, BUCKET, key!)).toString("utf8")) as Record<
      string,
      unknown
    >;
    expect(Object.keys(written)).toEqual(["pid", "username", "hostname", "timestamp"]);
    expect(written).toMatchObject({ hostname: hostname(), username: userInfo().username });
    const closed = new Promise((resolve) => holder.once("close", resolve));
    process.kill(-(holder.pid ?? 0), "SIGKILL");
    await closed;
    // The engine's pid, not its driver's: it died with the group.
    await until(
      "the killed pulumi to be gone",
      () => {
        try {
          process.kill(written.pid as number, 0);
          return Promise.resolve(undefined);
        } catch {
          return Promise.resolve(true);
        }
      },
      10_000,
      { intervalMs: 250 },
    );
    expect(await lockKeys(s3)).toEqual([key]);

    const lines: string[] = [];
    const after = await up(target(s3, binDir, 2), { onOutput: (l) => lines.push(l) });
    expect(after.outputs).toEqual({ answer: 2 });
    expect(await lockKeys(s3)).toEqual([]);
    const since = new Date(written.timestamp as string).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(lines).toContain(
      `removed a stale lock of stack ${PROJECT}/${STACK} left by ${userInfo().username}@${hostname()} (pid ${written.pid as number}, dead) since ${since}\n`,
    );

    // 2. The same shape PUT by hand, naming a process that has exited.
    const dir = key!.slice(0, key!.lastIndexOf("/"));
    const dead = exitedPid();
    await putLock(s3, dir, dead);
    const lines2: string[] = [];
    expect((await up(target(s3, binDir, 3), { onOutput: (l) => lines2.push(l) })).outputs).toEqual({
      answer: 3,
    });
    expect(await lockKeys(s3)).toEqual([]);
    expect(lines2.filter((l) => l.startsWith("removed a stale lock"))).toEqual([
      expect.stringContaining(`(pid ${dead}, dead)`),
    ]);

    // 3. A live holder (a `sleep` child of this test): locked, and its lock object stays.
    const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    children.push(sleeper);
    await new Promise((resolve) => sleeper.once("spawn", resolve));
    const live = await putLock(s3, dir, sleeper.pid ?? 0);
    const lines3: string[] = [];
    const failure = await up(target(s3, binDir, 4), { onOutput: (l) => lines3.push(l) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EngineError);
    const locked = failure as EngineError;
    expect(locked.engineCode).toBe("locked");
    expect(locked.message).toContain(`(pid ${sleeper.pid ?? 0}) holds the lock`);
    expect(locked.hint).toContain("pulumi cancel");
    expect(await lockKeys(s3)).toEqual([live]);
    expect(lines3.some((l) => l.startsWith("removed a stale lock"))).toBe(false);

    // Once that process is gone, the next update clears its lock.
    const exited = new Promise((resolve) => sleeper.once("close", resolve));
    sleeper.kill("SIGKILL");
    await exited;
    expect((await up(target(s3, binDir, 5))).outputs).toEqual({ answer: 5 });
    expect(await lockKeys(s3)).toEqual([]);
  }, 300_000);
});
