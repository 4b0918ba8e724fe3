// Facts about the Docker engine and the local backend's images, through the `docker` CLI.
import { firstLine, type Exec } from "./exec.js";
import { INSTANCE_REPOSITORY, localImages, type LocalImages } from "../stacks/local/images.js";

export type EngineState =
  | { state: "up"; version: string }
  | { state: "no-client" }
  | { state: "timeout" }
  | { state: "down"; message: string };

export interface DockerProbe {
  engine: EngineState;
  /** The tags build-instance-image would produce; undefined when its script is not there to hash. */
  expected: LocalImages | undefined;
  /** Expected tags not present in the engine (empty when the engine is down). */
  absent: string[];
  /** Other tags of dstack/local-instance present (an older build when the expected one is absent). */
  otherInstanceTags: string[];
}

export interface DockerProbeInput {
  exec: Exec;
  /** The images to expect; defaults to those of this package's build script. */
  images?: () => LocalImages;
}

export const ENGINE_TIMEOUT_MS = 5_000;

export function probeEngine(exec: Exec): EngineState {
  const r = exec("docker", ["info", "--format", "{{.ServerVersion}}"], { timeoutMs: ENGINE_TIMEOUT_MS });
  if (r.failure === "ENOENT") return { state: "no-client" };
  if (r.failure === "ETIMEDOUT") return { state: "timeout" };
  const version = r.stdout.trim();
  // `docker info` prints client-side warnings and may exit 0 with an empty server version.
  if (r.code === 0 && version !== "") return { state: "up", version };
  return { state: "down", message: firstLine(r.stderr) || firstLine(r.stdout) || `exit code ${r.code}` };
}

function expectedImages(images: () => LocalImages): LocalImages | undefined {
  try {
    return images();
  } catch {
    return undefined;
  }
}

export function probeDocker({ exec, images = () => localImages() }: DockerProbeInput): DockerProbe {
  const engine = probeEngine(exec);
  const expected = expectedImages(images);
  if (engine.state !== "up") return { engine, expected, absent: [], otherInstanceTags: [] };
  const wanted = expected === undefined ? [] : [expected.instance, expected.base];
  const absent = wanted.filter(
    (tag) =>
      exec("docker", ["image", "inspect", "--format", "{{.Id}}", tag], { timeoutMs: 10_000 }).code !== 0,
  );
  const listed = exec("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", INSTANCE_REPOSITORY], {
    timeoutMs: 10_000,
  });
  const otherInstanceTags = listed.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((t) => t.startsWith(`${INSTANCE_REPOSITORY}:`) && t !== expected?.instance);
  return { engine, expected, absent, otherInstanceTags };
}
