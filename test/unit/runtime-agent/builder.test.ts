// Image builds against a fake Docker daemon: the calls in order (create, wait, commit, push), the failure
// paths (a failing command, a failed push, a missing base) removing what they made and pushing nothing,
// the repo upload, a restart abandoning an unfinished build, and the idle clock held while one runs.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commitConfig } from "../../../src/runtime-agent/build-config.js";
import type { BuildSpec } from "../../../src/runtime-agent/build-spec.js";
import { abandonBuilds, Builder, logTail } from "../../../src/runtime-agent/builder.js";
import type { AgentContext } from "../../../src/runtime-agent/context.js";
import { Docker } from "../../../src/runtime-agent/docker.js";
import { idleSince } from "../../../src/runtime-agent/self-stop.js";
import type { BuildRecord } from "../../../src/runtime-agent/state.js";
import { until } from "../../until.js";
import { agentConfig } from "./helpers.js";
import { BASE, BASE_CONFIG, buildDaemon, IMAGE, type BuildDaemon } from "./fake-build-daemon.js";
import { fakeDocker, type FakeDocker } from "./fake-docker.js";

const NAME = "inst-1-env-abc.build";

const spec = (over: Partial<BuildSpec> = {}): BuildSpec => ({
  name: "env-abc",
  base_image: BASE,
  commands: ["echo built > /opt/marker"],
  env: { TOKEN: "build-secret" },
  image: IMAGE,
  registry_auth: { username: "pusher", password: "push-secret" },
  workdir: "/workflow",
  repo_upload: false,
  ...over,
});

let fake: FakeDocker;
let dataDir: string;
let clock: number;
let ctx: AgentContext;

async function setUp(d: BuildDaemon): Promise<Builder> {
  fake = await fakeDocker(buildDaemon(d));
  ctx = {
    config: agentConfig({ data_dir: dataDir }),
    docker: new Docker(fake.socket),
    state: { version: 1, runs: {}, instance: { started_at: 1000 } },
    now: () => clock,
  };
  return new Builder(ctx);
}

const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.url}`);

function ended(builder: Builder, name = "env-abc") {
  return until(
    `build ${name} to end`,
    () => {
      const view = builder.view(name);
      return view.status === "succeeded" || view.status === "failed" ? view : undefined;
    },
    5000,
    { intervalMs: 10 },
  );
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "dstack-agent-build-"));
  clock = 5000;
});

afterEach(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a build", () => {
  it("runs the commands in a container of the base, commits it as the base behaves, pushes it, removes it", async () => {
    const builder = await setUp({ output: "built\n" });
    expect(builder.submit(spec())).toMatchObject({ name: "env-abc", status: "pending", image: IMAGE });
    const view = await ended(builder);
    expect(view).toMatchObject({
      status: "succeeded",
      exit_code: 0,
      message: null,
      log_tail: null,
      digest: "sha256:d1",
      size: 250_000_000,
      container_id: null,
      started_at: new Date(5000).toISOString(),
      finished_at: new Date(5000).toISOString(),
    });
    expect(calls()).toEqual([
      `GET /images/${BASE}/json`, // present: no pull
      `GET /images/${BASE}/json`, // its config, for the commit
      `DELETE /containers/${NAME}?force=true`, // one a dead agent may have left
      `POST /containers/create?name=${NAME}`,
      "POST /containers/c1/start",
      "POST /containers/c1/wait",
      "GET /containers/c1/logs?stdout=true&stderr=true",
      "POST /commit?container=c1&repo=127.0.0.1%3A5000%2Fdstack%2Fenv&tag=abc",
      "DELETE /containers/c1?force=true",
      "POST /images/127.0.0.1:5000/dstack/env/push?tag=abc",
      `GET /images/${IMAGE}/json`,
    ]);
    const commit = fake.requests.find((r) => r.url.startsWith("/commit"));
    expect(JSON.parse(commit?.body ?? "")).toEqual(commitConfig(BASE_CONFIG));
    const push = fake.requests.find((r) => r.url.includes("/push"));
    expect(JSON.parse(Buffer.from(String(push?.headers["x-registry-auth"]), "base64url").toString())).toEqual(
      {
        username: "pusher",
        password: "push-secret",
        serveraddress: "127.0.0.1:5000",
      },
    );
    const text = `built\ndstack: pushing ${IMAGE}\ndstack: pushed ${IMAGE}@sha256:d1\n`;
    expect(await builder.logs("env-abc", 0)).toEqual({ text, next_offset: Buffer.byteLength(text) });
    expect((await builder.logs("env-abc", 6)).text).toMatch(/^dstack: pushing/);
  });

  it("keeps the build env and credentials off the disk once it has ended", async () => {
    const builder = await setUp({});
    builder.submit(spec());
    await ended(builder);
    const state = readFileSync(join(dataDir, "state.json"), "utf8");
    expect(state).not.toMatch(/build-secret|push-secret|pusher/);
    expect(existsSync(join(dataDir, "builds", "env-abc", "build.sh"))).toBe(false);
    expect(JSON.parse(state)).toMatchObject({
      builds: { "env-abc": { status: "succeeded", spec: { env: {} } } },
    });
  });

  it("a failing command: failed with its exit code and log tail; no commit, no push, the container removed", async () => {
    const output = Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join("");
    const builder = await setUp({ exitCode: 7, output });
    builder.submit(spec());
    expect(await ended(builder)).toMatchObject({
      status: "failed",
      exit_code: 7,
      message: "a build command exited with code 7",
      log_tail: Array.from({ length: 30 }, (_, i) => `line ${i + 10}`).join("\n"),
      digest: null,
      container_id: null,
    });
    expect(calls().slice(-3)).toEqual([
      "POST /containers/c1/wait",
      "GET /containers/c1/logs?stdout=true&stderr=true",
      "DELETE /containers/c1?force=true",
    ]);
    expect(calls().some((c) => c.includes("/commit") || c.includes("/push"))).toBe(false);
    expect((await builder.logs("env-abc", 0)).text).toBe(
      `${output}dstack: build failed: a build command exited with code 7\n`,
    );
  });

  it("a failed push: failed with the registry's words, the committed image removed", async () => {
    const builder = await setUp({ pushError: "denied: requested access to the resource is denied" });
    builder.submit(spec());
    expect(await ended(builder)).toMatchObject({
      status: "failed",
      exit_code: 0,
      message: "denied: requested access to the resource is denied",
      digest: null,
    });
    expect(calls().slice(-3)).toEqual([
      "POST /images/127.0.0.1:5000/dstack/env/push?tag=abc",
      `DELETE /containers/${NAME}?force=true`,
      `DELETE /images/${IMAGE}`,
    ]);
  });

  it("pulls a missing base first; a base that cannot be pulled fails the build before any container", async () => {
    const builder = await setUp({ baseExists: false });
    builder.submit(spec());
    expect(await ended(builder)).toMatchObject({ status: "succeeded" });
    expect(calls()[1]).toBe("POST /images/create?fromImage=dstack%2Fbase&tag=py3.11");
    await fake.close();

    const failing = await setUp({ baseExists: false, pullFails: true });
    failing.submit(spec({ name: "nobase" }));
    expect(await ended(failing, "nobase")).toMatchObject({
      status: "failed",
      message: `cannot pull ${BASE}: manifest unknown`,
      log_tail: null,
    });
    expect(calls().some((c) => c.includes("/containers/create"))).toBe(false);
  });

  it("with repo_upload, waits for the repo (extracted where the workdir is mounted from), then builds", async () => {
    const builder = await setUp({});
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    builder.submit(spec({ repo_upload: true }));
    await until(
      "the build to wait for its repo",
      () =>
        logged.some((l) => l.includes("build env-abc: image ready, waiting for the repo upload"))
          ? true
          : undefined,
      2000,
      { intervalMs: 10 },
    ).finally(() => spy.mockRestore());
    expect(builder.view("env-abc").status).toBe("pending");
    expect(calls().some((c) => c.includes("/containers/create"))).toBe(false);
    const repo = join(dataDir, "src");
    mkdirSync(repo);
    writeFileSync(join(repo, "requirements.txt"), "numpy\n");
    const tar = execFileSync("tar", ["-c", "-C", repo, "."]);
    expect(await builder.uploadRepo("env-abc", Readable.from([tar]), false)).toMatchObject({
      repo_uploaded: true,
    });
    expect(await ended(builder)).toMatchObject({ status: "succeeded" });
    expect(readFileSync(join(dataDir, "builds", "env-abc", "repo", "requirements.txt"), "utf8")).toBe(
      "numpy\n",
    );
    await expect(builder.uploadRepo("env-abc", Readable.from([tar]), false)).rejects.toMatchObject({
      status: 409,
      code: "build_started",
    });
  });

  it("refuses a second build of a name while one runs, and answers 404 for an unknown name", async () => {
    let second: unknown;
    const builder = await setUp({
      onWait: () => {
        try {
          builder.submit(spec());
        } catch (error) {
          second = error;
        }
      },
    });
    builder.submit(spec());
    await ended(builder);
    expect(second).toMatchObject({ status: 409, code: "build_exists", message: "build env-abc is building" });
    expect(() => builder.view("nope")).toThrow(
      expect.objectContaining({ status: 404, code: "build_not_found" }),
    );
    // Ended: the name may be built again.
    expect(builder.submit(spec()).status).toBe("pending");
    await ended(builder);
  });
});

describe("builds and the idle clock", () => {
  it("an instance is busy while a build runs, and its end is activity", async () => {
    let whileBuilding: number | null | undefined;
    const builder = await setUp({
      onWait: () => {
        whileBuilding = idleSince(ctx.state);
        clock = 90_000; // the commands take a while
      },
    });
    expect(idleSince(ctx.state)).toBe(1000);
    builder.submit(spec());
    expect(idleSince(ctx.state)).toBeNull();
    await ended(builder);
    expect(whileBuilding).toBeNull();
    expect(idleSince(ctx.state)).toBe(90_000);
  });
});

describe("abandonBuilds (agent restart)", () => {
  it("fails unfinished builds, removing their container and an image committed but not pushed", async () => {
    await setUp({});
    const record = (status: BuildRecord["status"], container_id: string | null): BuildRecord => ({
      spec: { ...spec(), env: {} },
      status,
      exit_code: null,
      message: null,
      log_tail: null,
      container_id,
      repo_uploaded: false,
      digest: null,
      size: null,
      started_at: 1000,
      finished_at: null,
    });
    ctx.state.builds = {
      running: record("building", "c1"),
      pushing: { ...record("pushing", null), spec: { ...spec({ name: "pushing" }), env: {} } },
      done: record("succeeded", null),
    };
    await abandonBuilds(ctx);
    expect(calls()).toEqual([
      "DELETE /containers/c1?force=true",
      "DELETE /containers/inst-1-pushing.build?force=true",
      `DELETE /images/${IMAGE}`,
    ]);
    const message = "the agent restarted during the build; build again";
    expect(ctx.state.builds).toMatchObject({
      running: { status: "failed", message, container_id: null, finished_at: 5000 },
      pushing: { status: "failed", message },
      done: { status: "succeeded", message: null },
    });
  });
});

describe("logTail", () => {
  it("is the last lines, without the final newline", () => {
    expect(logTail("a\nb\nc\n", 2)).toBe("b\nc");
    expect(logTail("only", 30)).toBe("only");
  });
});
