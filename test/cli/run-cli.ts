// Run the built CLI as a user would: a real process, real files, a temporary HOME.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const BIN = resolve(import.meta.dirname, "../../bin/dstack.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function dstack(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): CliResult {
  const home = options.env?.HOME ?? mkdtempSync(join(tmpdir(), "dstack-home-"));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 15_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary project folder holding the given files (paths relative to it). */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-project-"));
  mkdirSync(join(dir, ".git"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * `dstack` without blocking this process: for tests whose fake servers run in this process (spawnSync
 * would stop their event loop, so the CLI's requests would never get an answer).
 */
export function dstackAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const home = options.env?.HOME ?? mkdtempSync(join(tmpdir(), "dstack-home-"));
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? process.cwd(),
        env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...options.env },
        encoding: "utf8",
        timeout: 15_000,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number")
          reject(new Error(error.message, { cause: error }));
        else resolvePromise({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}
