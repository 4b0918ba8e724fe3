// `dstack doctor`: run every probe with the injected environment, home and exec, then decide each check.
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { report, type Check, type DoctorReport } from "./check.js";
import { awsCheck, azureCheck, gcpCheck, localCheck, type ShowPath } from "./cloud-checks.js";
import { probeAws, probeAzure, probeGcp } from "./cloud-probes.js";
import { configCheck } from "./config-check.js";
import { dockerChecks } from "./docker-checks.js";
import { probeDocker } from "./docker-probe.js";
import { readDstackConfig, type BackendType } from "../home/dstack-config.js";
import type { Exec } from "./exec.js";
import type { LocalImages } from "../stacks/local/images.js";
import { nodeCheck } from "./node-check.js";
import { pulumiChecks } from "./pulumi-checks.js";
import { probePulumi, type PulumiLookup } from "./pulumi-probe.js";
import { stateCheck } from "./state-check.js";
import { recordsCheck } from "./records-check.js";
import { probeState } from "./state-probe.js";

export interface DoctorInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  exec: Exec;
  backendUrl?: string;
  /** Defaults to the running Node.js. */
  nodeVersion?: string;
  /** Defaults to src/engine/pulumi-cli.ts. */
  pulumi?: PulumiLookup;
  /** Defaults to the tags of this package's scripts/build-instance-image. */
  images?: () => LocalImages;
}

export function homeRelative(home: string): ShowPath {
  const root = home.endsWith(sep) ? home.slice(0, -1) : home;
  return (path) => (root !== "" && path.startsWith(root + sep) ? `~${path.slice(root.length)}` : path);
}

export function runDoctor(input: DoctorInput): DoctorReport {
  const { env, home, exec } = input;
  const show = homeRelative(home);
  const { docker, images } = dockerChecks(
    probeDocker({ exec, ...(input.images === undefined ? {} : { images: input.images }) }),
  );
  const config = readDstackConfig(home);
  const entry = (type: BackendType) => config.backends.find((b) => b.type === type);
  const checks: Check[] = [
    nodeCheck(input.nodeVersion ?? process.versions.node),
    ...pulumiChecks(
      probePulumi({ env, home, exec, ...(input.pulumi === undefined ? {} : { lookup: input.pulumi }) }),
    ),
    docker,
    images,
    stateCheck(
      probeState({
        env,
        home,
        fileExists: existsSync,
        ...(input.backendUrl === undefined ? {} : { backendUrl: input.backendUrl }),
      }),
    ),
    configCheck(config, show),
    recordsCheck(home, env, show),
    localCheck(docker, images, entry("local")),
    awsCheck(probeAws(env, home), entry("aws"), show),
    gcpCheck(probeGcp(env, home), entry("gcp"), show),
    azureCheck(probeAzure(env, home), entry("azure"), show),
  ];
  return report(checks);
}
