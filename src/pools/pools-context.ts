// Everything the pools need before they can do anything: the Pulumi CLI at the pinned version, the
// state backend, the client key, and per backend its settings: for the local pool a Docker engine and
// the locally built images (asked only when the local pool is used), for the clouds the network
// settings of ~/.dstack/config.yml. Each missing piece is a UserError that says which set-up step
// provides it.
import { findPulumi, pinnedPulumiVersion } from "../engine/pulumi-cli.js";
import { resolveStateBackend } from "../engine/state-backend.js";
import { UserError } from "../errors.js";
import { networkSettings } from "../generate/network-settings.js";
import { ensureClientKey } from "../ssh/keys.js";
import { DockerError, docker } from "../stacks/local/docker-cli.js";
import { localImages } from "../stacks/local/images.js";
import { localSettings } from "./local/local-settings.js";
import { listPools } from "./pool-store.js";
import { PoolSet } from "./pool-set.js";
import type { EngineContext } from "./stack-pool.js";

export interface PoolsContextInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  backendUrl?: string;
  onOutput?: (line: string) => void;
  onNotice?: (line: string) => void;
  /** Without --backend-url, use the backend the pools' stacks live in (runs); fleets pass false. */
  followPools?: boolean;
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

/** Without --backend-url, pools that have instances keep using the backend their stacks live in. */
export function poolBackend(home: string): string | undefined {
  return listPools(home).find((p) => p.instances.length > 0 && p.backend_url !== undefined)?.backend_url;
}

/**
 * The Pulumi CLI and the state backend. `followPools`: without --backend-url, use the backend the pools'
 * stacks live in (runs); a fleet records its own backend and passes it explicitly.
 */
export function engineContext(input: PoolsContextInput, followPools = true): EngineContext {
  const pulumi = findPulumi();
  if (pulumi === undefined)
    throw new UserError(
      "pulumi-missing",
      `the Pulumi CLI v${pinnedPulumiVersion()} is not installed`,
      "run ./scripts/ensure-pulumi (or ./scripts/setup)",
    );
  return {
    backend: resolveStateBackend({
      home: input.home,
      env: input.env,
      backendUrl: input.backendUrl ?? (followPools ? poolBackend(input.home) : undefined),
    }),
    pulumiBinDir: pulumi.binDir,
    ...(input.onOutput === undefined ? {} : { onOutput: input.onOutput }),
    ...(input.onNotice === undefined ? {} : { onNotice: input.onNotice }),
  };
}

/** The local instance image, refused with the set-up step when it is not built. */
export function localInstanceImage(): string {
  const images = localImages();
  if (!dockerImages("dstack/local-instance").includes(images.instance))
    throw new UserError(
      "image-missing",
      `the local instance image ${images.instance} is not built`,
      "run ./scripts/build-instance-image (or ./scripts/setup)",
    );
  return images.instance;
}

/** The workload base images present here (dstack/base:py3.11, ...). */
export const baseImages = (): string[] => dockerImages("dstack/base");

export function openPools(input: PoolsContextInput): PoolSet {
  const keys = ensureClientKey(input.home);
  // Looked up on first use: finding the Pulumi CLI runs `pulumi version` (0.2 to 1.5 s), which a run
  // placed on an idle instance never needs.
  let engine: EngineContext | undefined;
  return new PoolSet({
    home: input.home,
    get engine() {
      return (engine ??= engineContext(input, input.followPools ?? true));
    },
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    local: () => {
      const settings = localSettings(input.home);
      return {
        image: localInstanceImage(),
        publicKey: keys.publicKey,
        ...(settings.faults === undefined ? {} : { faults: settings.faults }),
      };
    },
    network: networkSettings(input.home),
  });
}
