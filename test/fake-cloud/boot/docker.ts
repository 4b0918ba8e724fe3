// The Docker CLI as the fake cloud uses it: asynchronous for the long waits of a boot (the plugin keeps
// serving other creates and Cancel meanwhile), synchronous for removals (also called from tests).
import { execFile, execFileSync } from "node:child_process";

function failure(args: readonly string[], error: unknown): Error {
  const e = error as { stderr?: string | Buffer; code?: string; message?: string };
  if (e.code === "ENOENT")
    return new Error("fake-cloud: the docker CLI is not installed: run ./scripts/ensure-docker");
  const stderr = String(e.stderr ?? "").trim();
  return new Error(`docker ${args.slice(0, 2).join(" ")} failed: ${stderr || (e.message ?? String(error))}`);
}

export function dockerAsync(
  args: readonly string[],
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("docker", args, { encoding: "utf8", signal, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout.trim());
      else reject(failure(args, Object.assign(error, { stderr })));
    });
  });
}

export function dockerSync(args: readonly string[], timeoutMs = 120_000): string {
  try {
    return execFileSync("docker", args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    }).trim();
  } catch (error) {
    throw failure(args, error);
  }
}

export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}
