// Run the built CLI as a user would: a real process, real files, a temporary HOME.
import { spawnSync } from "node:child_process";
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
