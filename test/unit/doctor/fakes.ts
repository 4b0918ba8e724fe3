// Test doubles for doctor probes: an exec answering from a table, and temp homes with files.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Exec, ExecResult } from "../../../src/doctor/exec.js";

export interface Call {
  command: string;
  args: readonly string[];
  timeoutMs: number | undefined;
}

/** Answers `command args...` by the first rule whose key prefixes the joined command line; else ENOENT. */
export function fakeExec(rules: Record<string, Partial<ExecResult>>): Exec & { calls: Call[] } {
  const calls: Call[] = [];
  const exec = (command: string, args: readonly string[], options?: { timeoutMs?: number }): ExecResult => {
    calls.push({ command, args, timeoutMs: options?.timeoutMs });
    const line = [command, ...args].join(" ");
    const key = Object.keys(rules).find((k) => line.startsWith(k));
    if (key === undefined) return { code: null, stdout: "", stderr: "", failure: "ENOENT" };
    return { code: 0, stdout: "", stderr: "", ...rules[key] };
  };
  return Object.assign(exec, { calls });
}

export function tempDir(prefix = "dstack-doctor-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A temp folder holding the given files (relative paths); `+x` at the end of a key makes it executable. */
export function withFiles(files: Record<string, string>, root = tempDir()): string {
  for (const [key, text] of Object.entries(files)) {
    const executable = key.endsWith("+x");
    const path = join(root, executable ? key.slice(0, -2) : key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    if (executable) chmodSync(path, 0o755);
  }
  return root;
}
