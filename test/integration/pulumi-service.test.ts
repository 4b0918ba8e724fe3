// The Pulumi Cloud stand-in (test/pulumi-service) against the REAL Pulumi CLI and the Automation API:
// login and whoami, a refused token, stack init/ls/tag/rm, inline programs through up, preview, refresh
// and destroy with a secret output (the stand-in's encrypt/decrypt), export/import, two concurrent ups
// (one ConcurrentUpdateError), a killed update that keeps the stack locked until `pulumi cancel`, and the
// state surviving a server restart. One server on port 0 over a temporary folder for the whole file; the
// CLI runs asynchronously, since the server answers from this process.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiEnv, pulumiRoot } from "../../src/engine/pulumi-cli.js";
import { startPulumiService, type PulumiService } from "../pulumi-service/server.js";
import { requirePulumi } from "./pulumi-path.js";

const { LocalWorkspace, PulumiCommand, ConcurrentUpdateError } = pulumi.automation;
type Stack = pulumi.automation.Stack;

const USER = { name: "dstack", token: "pul-dstack-local-token", orgs: [] };
const tmp = mkdtempSync(join(tmpdir(), "dstack-pulumi-service-it-"));
const dataDir = join(tmp, "data");
let service: PulumiService;

beforeAll(async () => {
  service = await startPulumiService({ dataDir, users: [USER] });
});
afterAll(async () => {
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
});

function cliEnv(token = USER.token, home = join(tmp, "home")): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    ...pulumiEnv(requirePulumi().binDir),
    PULUMI_HOME: home,
    PULUMI_ACCESS_TOKEN: token,
    PULUMI_BACKEND_URL: service.url,
  };
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPulumi(args: string[], env = cliEnv(), cwd = tmp): Promise<CliResult> {
  const child = spawn(join(requirePulumi().binDir, "pulumi"), ["--non-interactive", ...args], { env, cwd });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function okPulumi(args: string[], cwd = tmp): Promise<string> {
  const r = await runPulumi(args, cliEnv(), cwd);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}
function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

type Program = () => Promise<Record<string, unknown>>;

async function inlineStack(stackName: string, program: Program): Promise<Stack> {
  const cli = requirePulumi();
  const root = pulumiRoot(cli.binDir);
  return LocalWorkspace.createOrSelectStack(
    { stackName: `dstack/auto/${stackName}`, projectName: "auto", program },
    {
      pulumiCommand: await PulumiCommand.get(root === undefined ? {} : { root }),
      pulumiHome: join(tmp, "home"),
      envVars: { ...pulumiEnv(cli.binDir), PULUMI_BACKEND_URL: service.url, PULUMI_ACCESS_TOKEN: USER.token },
    },
  );
}

/** The Pulumi CLI processes this test process started (the Automation API runs them as its children). */
function childPulumiPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return comm === "pulumi" && ppid === process.pid ? [Number(d)] : [];
      } catch {
        return []; // exited while we looked
      }
    });
}

const SECRET = "hunter2-do-not-leak";

describe("Pulumi service stand-in with the real Pulumi CLI", () => {
  it("logs in with a good token and whoami names its user", async () => {
    const login = await runPulumi(["login", service.url]);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${service.url} as dstack`);
    expect((await okPulumi(["whoami"])).trim()).toBe("dstack");
  }, 60_000);

  it("refuses a wrong token: the CLI prints the service's 401 message", async () => {
    const r = await runPulumi(["login", service.url], cliEnv("pul-wrong", join(tmp, "home-wrong")));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "error: problem logging in: Unauthorized: No credentials provided or are invalid.",
    );
  }, 60_000);

  it("stack init, ls (with a tag filter), tag set, tag ls, rename, rm", async () => {
    const project = join(tmp, "cliproj");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, "Pulumi.yaml"), "name: cliproj\nruntime: nodejs\n");
    await okPulumi(["stack", "init", "dstack/cliproj/dev"], project);
    // In its project's folder the CLI lists a stack by its short name.
    const ls = JSON.parse(await okPulumi(["stack", "ls", "--json"], project)) as { name: string }[];
    expect(ls.map((s) => s.name)).toEqual(["dev"]);
    await okPulumi(["stack", "tag", "set", "team", "blue", "--stack", "dstack/cliproj/dev"], project);
    const tags = JSON.parse(
      await okPulumi(["stack", "tag", "ls", "--json", "--stack", "dstack/cliproj/dev"], project),
    ) as Record<string, string>;
    expect(tags).toMatchObject({ team: "blue", "pulumi:project": "cliproj" });
    const dup = await runPulumi(["stack", "init", "dstack/cliproj/dev"], cliEnv(), project);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("already exists");
    await okPulumi(["stack", "init", "dstack/cliproj/other"], project);
    const blue = JSON.parse(await okPulumi(["stack", "ls", "--json", "--tag", "team=blue"], project)) as {
      name: string;
    }[];
    expect(blue.map((s) => s.name)).toEqual(["dev"]);
    await okPulumi(["stack", "rename", "dstack/cliproj/renamed", "--stack", "dstack/cliproj/dev"], project);
    const renamed = JSON.parse(await okPulumi(["stack", "ls", "--json"], project)) as { name: string }[];
    expect(renamed.map((s) => s.name).sort()).toEqual(["other", "renamed"]);
    await okPulumi(["stack", "rm", "--yes", "dstack/cliproj/other"], project);
    await okPulumi(["stack", "rm", "--yes", "dstack/cliproj/renamed"], project);
    const after = JSON.parse(await okPulumi(["stack", "ls", "--json"], project)) as unknown[];
    expect(after).toEqual([]);
  }, 60_000);
});

describe("Pulumi service stand-in with the Automation API", () => {
  it("up (outputs only, then a secret output), preview, refresh, export/import, destroy", async () => {
    const plain = await inlineStack("outputs", () => Promise.resolve({ answer: 42 }));
    const up1 = await plain.up();
    expect(up1.summary.result).toBe("succeeded");
    expect(up1.outputs.answer).toEqual({ value: 42, secret: false });

    const stack = await inlineStack("secrets", () =>
      Promise.resolve({ answer: 42, password: pulumi.secret(SECRET) }),
    );
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.kind).toBe("update");
    expect(up.summary.resourceChanges).toEqual({ create: 1 });
    expect(up.outputs.password).toEqual({ value: SECRET, secret: true });

    // The secret reached the server only encrypted, through the service secrets manager (the Automation
    // API's exportStack shows secrets, so read the server's own export and its files).
    const exported = await stack.exportStack();
    const served = await fetch(`${service.url}/api/stacks/dstack/auto/secrets/export`, {
      headers: { authorization: `token ${USER.token}` },
    }).then((r) => r.text());
    expect(served).not.toContain(SECRET);
    expect(served).toContain('"ciphertext"');
    expect(served).toContain('"type":"service"');
    const stateFiles = readdirSync(join(dataDir, "stacks"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"));
    expect(stateFiles.some((f) => f.includes(SECRET))).toBe(false);

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 1 });
    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect(refresh.summary.kind).toBe("refresh");

    await stack.importStack(exported);
    expect((await stack.outputs()).password).toEqual({ value: SECRET, secret: true });

    // A stack with resources is not removed without --force: the service refuses, the CLI says why.
    const rm = await runPulumi(
      ["stack", "rm", "--yes", "dstack/auto/secrets"],
      cliEnv(),
      stack.workspace.workDir,
    );
    expect(rm.code).not.toBe(0);
    expect(rm.stderr).toContain("error: 'secrets' still has resources; removal rejected.");

    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(destroy.summary.resourceChanges).toEqual({ delete: 1 });
    const history = await stack.history();
    expect(history.map((h) => [h.version, h.kind, h.result])).toEqual([
      [4, "destroy", "succeeded"],
      [3, "import", "succeeded"],
      [2, "refresh", "succeeded"],
      [1, "update", "succeeded"],
    ]); // the preview is not history
  }, 180_000);

  it("two concurrent ups on one stack: the second fails with ConcurrentUpdateError", async () => {
    const firstRunning = deferred();
    const release = deferred();
    const first = await inlineStack("race", async () => {
      firstRunning.resolve();
      await release.promise;
      return { who: "first" };
    });
    const firstUp = first.up();
    await firstRunning.promise; // the first update holds the lock: its program runs

    const second = await inlineStack("race", () => Promise.resolve({ who: "second" }));
    const error = await second.up().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect(String((error as Error).message)).toContain(
      "[409] Conflict: Another update is currently in progress.",
    );

    release.resolve();
    const done = await firstUp;
    expect(done.summary.result).toBe("succeeded");
    expect(done.outputs.who?.value).toBe("first");
    expect((await second.up()).outputs.who?.value).toBe("second"); // the lock is free again
  }, 180_000);

  it("a killed update keeps the stack locked until `pulumi cancel`, then updates work", async () => {
    const running = deferred();
    const never = deferred();
    const stack = await inlineStack("killed", async () => {
      running.resolve();
      await never.promise;
      return {};
    });
    const before = new Set(childPulumiPids());
    const up = stack.up();
    await running.promise;
    const cli = childPulumiPids().filter((pid) => !before.has(pid));
    expect(cli).toHaveLength(1);
    process.kill(cli[0] ?? 0, "SIGKILL");
    await expect(up).rejects.toThrow();
    never.resolve(); // let the orphaned program finish in this process

    const again = await inlineStack("killed", () => Promise.resolve({ ok: true }));
    await expect(again.up()).rejects.toBeInstanceOf(ConcurrentUpdateError);

    const cancel = await okPulumi(
      ["cancel", "--yes", "--stack", "dstack/auto/killed"],
      again.workspace.workDir,
    );
    expect(cancel).toContain("The currently running update for 'killed' has been canceled!");
    const up2 = await again.up();
    expect(up2.summary.result).toBe("succeeded");
    expect(up2.outputs.ok?.value).toBe(true);
  }, 180_000);

  it("the state survives a server restart: stacks, history, and secrets that still decrypt", async () => {
    const kept = await inlineStack("persist", () => Promise.resolve({ token: pulumi.secret("kept-secret") }));
    expect((await kept.up()).summary.result).toBe("succeeded");

    const port = service.port; // the same URL: the stacks' secrets manager state names it
    await service.close();
    service = await startPulumiService({ dataDir, users: [USER], port });

    expect(await kept.outputs()).toEqual({ token: { value: "kept-secret", secret: true } });
    const history = await kept.history();
    expect(history.map((h) => [h.version, h.kind, h.result])).toEqual([[1, "update", "succeeded"]]);
    const outputs = await inlineStack("outputs", () => Promise.resolve({ answer: 43 }));
    const up = await outputs.up();
    expect(up.outputs.answer?.value).toBe(43);
    expect((await outputs.history()).map((h) => h.version)).toEqual([2, 1]);
    const names = JSON.parse(await okPulumi(["stack", "ls", "--json", "--all"])) as { name: string }[];
    expect(names.map((s) => s.name).sort()).toEqual([
      "dstack/auto/killed",
      "dstack/auto/outputs",
      "dstack/auto/persist",
      "dstack/auto/race",
      "dstack/auto/secrets",
    ]);
  }, 180_000);
});
