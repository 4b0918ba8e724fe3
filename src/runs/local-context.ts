// Everything the local backend needs before it can do anything: the Pulumi CLI at the pinned version, a
// Docker engine, the locally built images, and the state backend. Each missing piece is a UserError that
// says which set-up step provides it.
import { findPulumi, pinnedPulumiVersion } from "../engine/pulumi-cli.js";
import { resolveStateBackend } from "../engine/state-backend.js";
import { UserError } from "../errors.js";
import { DockerError, docker } from "../stacks/local/docker-cli.js";
import { localImages } from "../stacks/local/images.js";
import { LOCAL_POOL, type PoolContext } from "./local-pool.js";
import { readPool } from "./store.js";

export interface LocalContextInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  backendUrl?: string;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
}

function dockerImages(repository: string): string[] {
  try {
    const out = docker(["images", repository, "--format", "{{.Repository}}:{{.Tag}}"], undefined, 10_000);
    return out.split("\n").filter((l) => l !== "");
  } catch (error) {
    const detail = error instanceof DockerError ? error.message.replace(/^docker images failed: /, "") : "";
    throw new UserError(
      "docker",
      `the Docker engine does not answer${detail === "" ? "" : `: ${detail.split("\n")[0]!}`}`,
      "start it with ./scripts/ensure-docker",
    );
  }
}

/** Without --backend-url, a pool that has instances keeps using the backend its stack lives in. */
export function poolBackend(home: string): string | undefined {
  const pool = readPool(home, LOCAL_POOL);
  return pool.instances.length > 0 ? pool.backend_url : undefined;
}

export function localContext(input: LocalContextInput): {
  pool: Omit<PoolContext, "publicKey">;
  baseImages: string[];
} {
  const pulumi = findPulumi();
  if (pulumi === undefined)
    throw new UserError(
      "pulumi-missing",
      `the Pulumi CLI v${pinnedPulumiVersion()} is not installed`,
      "run ./scripts/ensure-pulumi (or ./scripts/setup)",
    );
  const images = localImages();
  if (!dockerImages("dstack/local-instance").includes(images.instance)) {
    throw new UserError(
      "image-missing",
      `the local instance image ${images.instance} is not built`,
      "run ./scripts/build-instance-image (or ./scripts/setup)",
    );
  }
  return {
    pool: {
      home: input.home,
      backend: resolveStateBackend({
        home: input.home,
        env: input.env,
        backendUrl: input.backendUrl ?? poolBackend(input.home),
      }),
      pulumiBinDir: pulumi.binDir,
      image: images.instance,
      signal: input.signal,
      onOutput: input.onOutput,
    },
    baseImages: dockerImages("dstack/base"),
  };
}
