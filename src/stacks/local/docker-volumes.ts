// Docker named volumes at the local backend's edge: whether one exists, and which containers use it
// (a container that names a volume keeps Docker from removing it, running or not).
import { docker, DockerError } from "./docker-cli.js";

/** A container that mounts the volume; `run` is the dstack run it belongs to, if dstack started it. */
export interface VolumeUser {
  container: string;
  running: boolean;
  run: string | null;
}

export function dockerVolumeExists(name: string): boolean {
  try {
    docker(["volume", "inspect", name], undefined, 30_000);
    return true;
  } catch (error) {
    if (error instanceof DockerError && /no such volume/i.test(error.message)) return false;
    throw error;
  }
}

export function dockerVolumeUsers(name: string): VolumeUser[] {
  const out = docker(
    ["ps", "-a", "--filter", `volume=${name}`, "--format", '{{.Names}}\t{{.State}}\t{{.Label "dstack.run"}}'],
    undefined,
    30_000,
  );
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [container = "", state = "", run = ""] = line.split("\t");
      return {
        container,
        running: state === "running" || state === "restarting",
        run: run === "" ? null : run,
      };
    });
}

/** Removes containers (of ended dstack runs) that still name a volume about to be deleted. */
export function removeContainers(names: readonly string[]): void {
  if (names.length > 0) docker(["rm", "-f", ...names], undefined, 60_000);
}
