// The stack builder: one entry for every way a cloud pool is run — the CLI's inline programs, a
// generated project's program (`dstack generate`) and the repository-root Pulumi.yaml. It checks the
// spec's version, reads the agent bundle that user data carries, and hands over to the backend.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageRoot } from "../package-root.js";
import { loadPoolBuilder } from "./backend.js";
import { CLOUD_BACKENDS, POOL_SPEC_VERSION, type PoolOutputs, type PoolSpec } from "./pool-spec.js";
import type { RegistryIdentity } from "./registry/registry-spec.js";

export interface PoolStackOptions {
  /** The agent bundle; defaults to this package's dist/agent/dstack-agent.js. */
  agentSource?: string;
}

/** Refuses a spec this version of the package cannot build, naming what to do. */
export function checkPoolSpec(value: unknown): PoolSpec {
  const spec = value as Partial<PoolSpec> | null;
  if (spec === null || typeof spec !== "object") throw new Error("the pool spec is not a JSON object");
  if (spec.pool_spec_version !== POOL_SPEC_VERSION)
    throw new Error(
      `pool spec version ${String(spec.pool_spec_version)} is not ${POOL_SPEC_VERSION}: regenerate the stack with this dstack (dstack generate), or pin the dstack version that wrote it`,
    );
  if (!(CLOUD_BACKENDS as readonly string[]).includes(String(spec.backend)))
    throw new Error(`unknown backend ${JSON.stringify(spec.backend)} (one of ${CLOUD_BACKENDS.join(", ")})`);
  if (!Array.isArray(spec.instances) || !Array.isArray(spec.volumes))
    throw new Error("the pool spec needs `instances` and `volumes` lists");
  checkRegistryIdentity(spec as PoolSpec);
  return spec as PoolSpec;
}

const IDENTITY_KEY: Record<PoolSpec["backend"], keyof RegistryIdentity> = {
  aws: "aws_instance_profile",
  gcp: "gcp_service_account",
  azure: "azure_identity_id",
};

/** A registry identity must be the pool's cloud's: another cloud's would be silently ignored. */
function checkRegistryIdentity(spec: PoolSpec): void {
  if (spec.registry === undefined) return;
  const key = IDENTITY_KEY[spec.backend];
  const keys = Object.keys(spec.registry);
  if (keys.length !== 1 || keys[0] !== key || typeof spec.registry[key] !== "string")
    throw new Error(
      `the pool spec's registry must be { ${key}: string } on ${spec.backend}, not ${JSON.stringify(spec.registry)}: use the instance_identity output of the ${spec.backend} registry stack`,
    );
}

export function agentBundle(): string {
  const path = join(packageRoot(import.meta.url), "dist", "agent", "dstack-agent.js");
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new Error(`${path} is missing: build the dstack package (npm run build)`);
  }
}

/** Registers the pool's resources; returns the stack outputs (`instances`, `volumes`). */
export async function poolStack(
  spec: unknown,
  options: PoolStackOptions = {},
): Promise<{
  instances: pulumi.Output<PoolOutputs["instances"]>;
  volumes: pulumi.Output<PoolOutputs["volumes"]>;
}> {
  const checked = checkPoolSpec(spec);
  const build = await loadPoolBuilder(checked.backend);
  const outputs = build(checked, { agentSource: options.agentSource ?? agentBundle() });
  return { instances: outputs.apply((o) => o.instances), volumes: outputs.apply((o) => o.volumes) };
}
