import { describe, expect, it } from "vitest";
import { dockerChecks } from "../../../src/doctor/docker-checks.js";
import { probeDocker, probeEngine } from "../../../src/doctor/docker-probe.js";
import { fakeExec } from "./fakes.js";

const images = () => ({ instance: "dstack/local-instance:abcdef012345", base: "dstack/base:py3.11" });
const INFO = "docker info --format {{.ServerVersion}}";

describe("Docker probe and checks", () => {
  it("asks `docker info` for the server version with a 5 s timeout", () => {
    const exec = fakeExec({ [INFO]: { stdout: "24.0.7\n" } });
    expect(probeEngine(exec)).toEqual({ state: "up", version: "24.0.7" });
    expect(exec.calls[0]).toMatchObject({ command: "docker", timeoutMs: 5000 });
  });

  it("tells a missing client, a timeout and a daemon that does not answer apart", () => {
    expect(dockerChecks(probeDocker({ exec: fakeExec({}), images })).docker).toMatchObject({
      status: "error",
      detail: expect.stringContaining("not installed") as string,
      hint: "run ./scripts/ensure-docker",
    });
    expect(probeEngine(fakeExec({ [INFO]: { code: null, failure: "ETIMEDOUT" } }))).toEqual({
      state: "timeout",
    });
    const down = probeDocker({
      exec: fakeExec({
        [INFO]: { code: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n" },
      }),
      images,
    });
    const checks = dockerChecks(down);
    expect(checks.docker.detail).toBe(
      "the Docker engine does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.",
    );
    expect(checks.images).toMatchObject({ status: "missing" });
  });

  it("finds both images present", () => {
    const exec = fakeExec({ [INFO]: { stdout: "24.0.7" }, "docker image inspect": { stdout: "sha256:1" } });
    const { docker, images: imgs } = dockerChecks(probeDocker({ exec, images }));
    expect(docker.status).toBe("ok");
    expect(imgs).toMatchObject({
      status: "ok",
      detail: "dstack/local-instance:abcdef012345, dstack/base:py3.11",
    });
  });

  it("reports an instance image built from an older script as stale", () => {
    const exec = fakeExec({
      [INFO]: { stdout: "24.0.7" },
      "docker image inspect --format {{.Id}} dstack/base": { stdout: "sha256:1" },
      "docker image inspect": { code: 1, stderr: "No such image" },
      "docker images": { stdout: "dstack/local-instance:0123456789ab\n" },
    });
    const probe = probeDocker({ exec, images });
    expect(probe.absent).toEqual(["dstack/local-instance:abcdef012345"]);
    expect(dockerChecks(probe).images).toMatchObject({
      status: "warning",
      detail: expect.stringContaining("only older builds: dstack/local-instance:0123456789ab") as string,
      hint: "run ./scripts/build-instance-image",
    });
  });

  it("warns when the build script is not there to hash", () => {
    const exec = fakeExec({ [INFO]: { stdout: "24.0.7" } });
    const probe = probeDocker({
      exec,
      images: () => {
        throw new Error("ENOENT");
      },
    });
    expect(dockerChecks(probe).images.status).toBe("warning");
  });
});
