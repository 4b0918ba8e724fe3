// Helpers for end-to-end tests that run the built CLI as a user would, with a temporary HOME (the tool
// cache, i.e. the Pulumi CLI, stays the machine's), and inspect what it left: the pool file, the pool
// stack's state and lock in the file backend, and Docker.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BIN } from "../cli/run-cli.js";
import { tryDocker } from "./docker.js";

export function e2eEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
    NO_COLOR: "1",
    DSTACK_REAPER_INTERVAL_MS: "1000",
    ...extra,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  out: string;
}

/** The built CLI without blocking the test's event loop; `timeoutMs` kills it (SIGKILL). */
export function runCli(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 240_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, out: `${stdout}${stderr}` });
    });
  });
}

export function cliSync(args: string[], opts: { cwd: string; env: Record<string, string> }): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { ...opts, encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}${r.stderr}` };
}

export interface PoolFileInstance {
  name: string;
  zone?: string | null;
  ssh_port?: number;
}

export function poolFile(home: string): PoolFileInstance[] {
  try {
    return (
      JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8")) as {
        instances: PoolFileInstance[];
      }
    ).instances;
  } catch {
    return [];
  }
}

export interface StackInstance {
  name: string;
  zone: string | null;
}

/** The local pool stack as the file backend holds it: its instances, pending operations and lock. */
export function poolStack(home: string): { instances: StackInstance[]; pending: number; locked: boolean } {
  const state = join(home, ".dstack", "state", ".pulumi");
  const file = join(state, "stacks", "dstack", "pool-local.json");
  const lockDir = join(state, "locks", "organization", "dstack", "pool-local");
  const locked = existsSync(lockDir) && readdirSync(lockDir).length > 0;
  if (!existsSync(file)) return { instances: [], pending: 0, locked };
  const latest = (
    JSON.parse(readFileSync(file, "utf8")) as {
      checkpoint: {
        latest?: {
          resources?: { type: string; inputs?: { name?: string; zone?: string } }[];
          pending_operations?: unknown[];
        };
      };
    }
  ).checkpoint.latest;
  const instances = (latest?.resources ?? [])
    .filter((r) => r.type === "pulumi-nodejs:dynamic:Resource")
    .map((r) => ({ name: r.inputs?.name ?? "?", zone: r.inputs?.zone ?? null }));
  return { instances, pending: latest?.pending_operations?.length ?? 0, locked };
}

/** Every container (running or not) of a local instance: the instance itself and its runs. */
export function instanceContainers(name: string): { name: string; labels: string }[] {
  const r = tryDocker([
    "ps",
    "-a",
    "--filter",
    `label=dstack.instance=${name}`,
    "--format",
    "{{.Names}}\t{{.Labels}}",
  ]);
  if (r.code !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [n = "", labels = ""] = l.split("\t");
      return { name: n, labels };
    });
}

/** The built CLI in its own process group, so that a test can SIGKILL it with every child it started. */
export interface GroupCli {
  child: ChildProcess;
  /** stdout and stderr so far. */
  out(): string;
  closed: Promise<number | null>;
  killGroup(signal: NodeJS.Signals): void;
}

export function spawnCliGroup(args: string[], opts: { cwd: string; env: Record<string, string> }): GroupCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, detached: true });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    out: () => out,
    closed,
    killGroup: (signal) => {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    },
  };
}
