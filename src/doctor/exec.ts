// The one way doctor probes run programs: injected, so unit tests answer for Docker and Pulumi.
import { spawnSync } from "node:child_process";

export interface ExecResult {
  /** Exit code; null when the program did not run or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run or finish: "ENOENT" (not installed), "ETIMEDOUT", ... */
  failure?: string;
}

export type Exec = (command: string, args: readonly string[], options?: { timeoutMs?: number }) => ExecResult;

/** Runs programs for real, with the given environment (its PATH decides what is found). */
export function systemExec(env: Readonly<Record<string, string | undefined>>): Exec {
  return (command, args, options = {}) => {
    const r = spawnSync(command, args, {
      encoding: "utf8",
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 30_000,
    });
    const error: NodeJS.ErrnoException | undefined = r.error;
    const failure = error?.code;
    return {
      code: r.status,
      stdout: r.stdout ?? "",
      stderr: r.stderr ?? "",
      ...(failure === undefined ? {} : { failure }),
    };
  };
}

export function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}
