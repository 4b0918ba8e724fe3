// Helpers for integration tests against the real Docker engine: a thin CLI wrapper and polling.
import { execFileSync, spawnSync } from "node:child_process";

export const SETUP_HINT = "run ./scripts/ensure-docker && ./scripts/build-instance-image";

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `docker ARGS...`; returns stdout without the trailing newline, throws with stderr on failure. */
export function docker(args: string[], options: { input?: string; timeoutMs?: number } = {}): string {
  try {
    return execFileSync("docker", args, {
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
      input: options.input,
      timeout: options.timeoutMs ?? 60_000,
    }).replace(/\n$/, "");
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? "";
    throw new Error(`docker ${args.join(" ")} failed: ${stderr || String(error)}`, { cause: error });
  }
}

/** `docker ARGS...` that may fail; never throws. */
export function tryDocker(args: string[], timeoutMs = 60_000): DockerResult {
  const r = spawnSync("docker", args, { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
}

/** The image tags build-instance-image produces for its current contents (shared with `dstack doctor`). */
export { localImages } from "../../src/stacks/local/images.js";

/** Fails (never skips) when the engine or an image is missing, saying how to provide it. */
export function requireDockerImages(...images: string[]): void {
  const info = tryDocker(["info", "--format", "{{.ServerVersion}}"], 20_000);
  if (info.code !== 0) {
    throw new Error(`The Docker engine does not answer (${info.stderr.trim()}): ${SETUP_HINT}`);
  }
  for (const image of images) {
    if (tryDocker(["image", "inspect", image]).code !== 0) {
      throw new Error(`Docker image ${image} is missing (or stale): ${SETUP_HINT}`);
    }
  }
}

/** IDs of all containers (running or not) carrying a label (`key=value`). */
export function containersWithLabel(label: string): string[] {
  return docker(["ps", "-aq", "--no-trunc", "--filter", `label=${label}`])
    .split("\n")
    .filter((id) => id !== "");
}

/** Removes every container carrying the label, with its anonymous volumes. */
export function removeContainersWithLabel(label: string): void {
  const ids = containersWithLabel(label);
  if (ids.length > 0) docker(["rm", "-f", "-v", ...ids]);
}
