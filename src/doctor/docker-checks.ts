// Docker decisions: no engine is an error (the local backend, the default, runs on it); images that are
// not built, or built from an older build script, are a warning with the command that builds them.
import { check, type Check } from "./check.js";
import type { DockerProbe, EngineState } from "./docker-probe.js";
import { BUILD_SCRIPT } from "../stacks/local/images.js";

const ENSURE = "./scripts/ensure-docker";

export function engineCheck(engine: EngineState): Check {
  switch (engine.state) {
    case "up":
      return check("docker", "ok", `Docker engine ${engine.version}`);
    case "no-client":
      return check("docker", "error", "the docker CLI is not installed (not on PATH)", `run ${ENSURE}`);
    case "timeout":
      return check("docker", "error", "`docker info` did not answer within 5 s", `run ${ENSURE}`);
    case "down":
      return check(
        "docker",
        "error",
        `the Docker engine does not answer: ${engine.message}`,
        `run ${ENSURE}`,
      );
  }
}

export function imagesCheck(p: DockerProbe): Check {
  if (p.engine.state !== "up")
    return check(
      "local-images",
      "missing",
      "not checked: the Docker engine does not answer",
      `run ${ENSURE}`,
    );
  if (p.expected === undefined)
    return check(
      "local-images",
      "warning",
      `cannot tell the expected instance image: ${BUILD_SCRIPT} is not in this installation`,
      "run dstack from its source checkout to build the local images",
    );
  const wanted = [p.expected.instance, p.expected.base];
  if (p.absent.length === 0) return check("local-images", "ok", wanted.join(", "));
  const stale =
    p.absent.includes(p.expected.instance) && p.otherInstanceTags.length > 0
      ? ` (only older builds: ${p.otherInstanceTags.join(", ")})`
      : "";
  return check(
    "local-images",
    "warning",
    `not built: ${p.absent.join(", ")}${stale}; the local backend cannot start instances`,
    `run ./${BUILD_SCRIPT}`,
  );
}

export function dockerChecks(p: DockerProbe): { docker: Check; images: Check } {
  return { docker: engineCheck(p.engine), images: imagesCheck(p) };
}
