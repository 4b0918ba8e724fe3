// The facts of a build's base image that its key needs, read from this machine's Docker engine (the
// local backend's instances share it): the content digest (the registry's digest when the image came
// from one, else the image id, which is a digest of its config and changes whenever the image is rebuilt)
// and its platform. A tag can move; these cannot.
import { UserError } from "../errors.js";
import { DockerError, docker } from "../stacks/local/docker-cli.js";

export interface BaseImageFacts {
  /** `sha256:...`. */
  digest: string;
  /** e.g. `linux/amd64`. */
  platform: string;
}

export type InspectImage = (ref: string) => BaseImageFacts;

export const inspectLocalImage: InspectImage = (ref) => {
  let out: string;
  try {
    out = docker(
      ["image", "inspect", "--format", "{{json .RepoDigests}}\t{{.Id}}\t{{.Os}}\t{{.Architecture}}", ref],
      undefined,
      15_000,
    );
  } catch (error) {
    if (error instanceof DockerError && /no such (image|object)/i.test(error.message))
      throw new UserError(
        "build-base-missing",
        `the base image ${ref} of the build is not on this machine's Docker engine, so its digest (part of the prebuilt image's key) cannot be read`,
        ref.startsWith("dstack/base:")
          ? "build it with ./scripts/build-instance-image (or ./scripts/setup)"
          : `docker pull ${ref} (or set image to one present here: docker images)`,
      );
    if (error instanceof DockerError)
      throw new UserError(
        "docker",
        `cannot inspect the base image ${ref}: ${error.message}`,
        "start Docker with ./scripts/ensure-docker",
      );
    throw error;
  }
  const [digests = "null", id = "", os = "linux", arch = ""] = out.split("\t");
  return {
    digest: registryDigest(ref, JSON.parse(digests) as string[] | null) ?? id,
    platform: `${os}/${arch}`,
  };
};

/** The digest a registry gave the image (`repo@sha256:...`), preferring the reference's own repository. */
function registryDigest(ref: string, repoDigests: readonly string[] | null): string | undefined {
  const list = repoDigests ?? [];
  const repo = ref.replace(/[:@][^/]*$/, "");
  const own = list.find((d) => d.startsWith(`${repo}@`)) ?? list[0];
  return own?.slice(own.indexOf("@") + 1);
}
