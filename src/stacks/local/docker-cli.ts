// The Docker CLI at the local backend's edge: synchronous, with errors that carry Docker's own words.
import { execFileSync } from "node:child_process";

export class DockerError extends Error {}

export function docker(args: readonly string[], input?: string, timeoutMs = 120_000): string {
  try {
    return execFileSync("docker", args, {
      encoding: "utf8",
      input,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    }).trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string; code?: string };
    if (e.code === "ENOENT")
      throw new DockerError("the docker CLI is not installed: run ./scripts/ensure-docker");
    const stderr = (e.stderr ?? "").trim();
    throw new DockerError(`docker ${args[0] ?? ""} failed: ${stderr || e.message}`);
  }
}

export function containersWithLabel(label: string): string[] {
  const out = docker(["ps", "-aq", "--filter", `label=${label}`]);
  return out === "" ? [] : out.split("\n");
}
