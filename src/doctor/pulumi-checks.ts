// Pulumi decisions: the CLI must be exactly the pinned version (error otherwise); the dynamic-provider
// plugin must exist (the local backend's instances are dynamic resources); the Node.js language host is
// only needed by plain `pulumi preview`/`up` of a Pulumi.yaml project, so its absence is a warning.
import { check, type Check } from "./check.js";
import { DYNAMIC_PROVIDER, LANGUAGE_HOST, type PulumiProbe } from "./pulumi-probe.js";

const ENSURE = "./scripts/ensure-pulumi";

export function pulumiCliCheck(p: PulumiProbe): Check {
  if (p.cli !== undefined)
    return check("pulumi-cli", "ok", `Pulumi CLI v${p.cli.version} in ${p.cli.binDir}`);
  const other = p.otherVersionOnPath === undefined ? "" : ` (the pulumi on PATH is ${p.otherVersionOnPath})`;
  return check(
    "pulumi-cli",
    "error",
    `Pulumi CLI v${p.pinned} (the version of @pulumi/pulumi) not found on PATH or in ${p.cacheDir}${other}`,
    `run ${ENSURE} (installs or builds v${p.pinned} into the cache)`,
  );
}

export function languageHostCheck(p: PulumiProbe): Check {
  if (p.languageHost !== undefined) return check(LANGUAGE_HOST, "ok", `found: ${p.languageHost}`);
  return check(
    LANGUAGE_HOST,
    "warning",
    "not found: dstack (inline programs) works without it; plain `pulumi preview`/`up` of a Pulumi.yaml project cannot run",
    `${ENSURE} builds it when the Go module proxy serves it; or install the official Pulumi v${p.pinned} release`,
  );
}

export function dynamicProviderCheck(p: PulumiProbe): Check {
  if (p.dynamicProvider !== undefined)
    return check("pulumi-dynamic-provider", "ok", `${DYNAMIC_PROVIDER}: ${p.dynamicProvider}`);
  return check(
    "pulumi-dynamic-provider",
    "error",
    `${DYNAMIC_PROVIDER} not found next to the CLI, in @pulumi/pulumi or on PATH: local instances cannot be created`,
    "reinstall dependencies (npm ci), then run ./scripts/ensure-pulumi",
  );
}

export function pulumiChecks(p: PulumiProbe): Check[] {
  return [pulumiCliCheck(p), languageHostCheck(p), dynamicProviderCheck(p)];
}
