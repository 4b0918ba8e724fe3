// Locating the Pulumi CLI whose version equals the pinned @pulumi/pulumi (DESIGN.md "Real components").
// `scripts/ensure-pulumi` installs it; this module only finds it (on PATH or in the same cache folder)
// and builds the environment the Automation API should run it with.
import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";

export interface PulumiCli {
  /** Absolute directory holding the `pulumi` binary. */
  binDir: string;
  /** The version it reports, e.g. "3.248.0" (always the pinned one). */
  version: string;
}

const require = createRequire(import.meta.url);

/** Directory of the installed @pulumi/pulumi package (it ships `pulumi-resource-pulumi-nodejs`). */
export function pulumiPackageDir(): string {
  return dirname(require.resolve("@pulumi/pulumi/package.json"));
}

/** The version of the pinned @pulumi/pulumi npm package, e.g. "3.248.0". */
export function pinnedPulumiVersion(): string {
  const pkg = JSON.parse(readFileSync(join(pulumiPackageDir(), "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The cache folder `scripts/ensure-pulumi` installs into: ${DSTACK_CACHE:-~/.cache/dstack}/pulumi/v<version>/bin. */
export function cachedPulumiBinDir(version = pinnedPulumiVersion(), env = process.env): string {
  const cacheRoot = env.DSTACK_CACHE || join(homedir(), ".cache", "dstack");
  return join(cacheRoot, "pulumi", `v${version}`, "bin");
}

/** True when `<dir>/pulumi` runs and prints exactly `v<version>`. */
function reportsVersion(dir: string, version: string): boolean {
  const bin = join(dir, "pulumi");
  try {
    accessSync(bin, constants.X_OK);
    const out = execFileSync(bin, ["version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
      timeout: 30_000,
    });
    return out.trim().split("\n").pop() === `v${version}`;
  } catch {
    return false;
  }
}

// Cached per process: `undefined` = not looked yet, `null` = looked and not found.
let found: PulumiCli | null | undefined;

/** The Pulumi CLI at the pinned version: the first match on PATH, else the cache; undefined if neither. */
export function findPulumi(): PulumiCli | undefined {
  if (found === undefined) {
    const version = pinnedPulumiVersion();
    const pathDirs = (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "");
    const dir = [...pathDirs, cachedPulumiBinDir(version)].find((d) => reportsVersion(d, version));
    // The real location: a symlinked `pulumi` keeps its bundled plugins next to its target.
    found = dir === undefined ? null : { binDir: dirname(realpathSync(join(dir, "pulumi"))), version };
  }
  return found ?? undefined;
}

/**
 * Environment additions for running the CLI (pass as LocalWorkspace `envVars`):
 * - PATH: binDir first (the CLI and the plugins next to it), then the @pulumi/pulumi package dir, so
 *   the engine finds `pulumi-resource-pulumi-nodejs` for dynamic providers even when binDir lacks it;
 * - NODE_PATH: the node_modules holding @pulumi/pulumi, because that plugin script resolves
 *   `@pulumi/pulumi/cmd/dynamic-provider` from its working directory, which for inline programs is a
 *   temp dir with no node_modules;
 * - PULUMI_SKIP_UPDATE_CHECK=true (no network here, no nagging).
 * PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK is deliberately not set: the versions match exactly.
 */
export function pulumiEnv(binDir: string, env = process.env): Record<string, string> {
  const pkgDir = pulumiPackageDir();
  const nodeModules = dirname(dirname(pkgDir)); // <node_modules>/@pulumi/pulumi -> <node_modules>
  const join2 = (first: string[], rest: string | undefined): string =>
    [...first, ...(rest ? [rest] : [])].join(delimiter);
  return {
    PATH: join2([binDir, pkgDir], env.PATH),
    NODE_PATH: join2([nodeModules], env.NODE_PATH),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/**
 * The `root` to give `PulumiCommand.get({ root })` (it runs `<root>/bin/pulumi`), or undefined when the
 * binary does not sit in a `bin` folder; then `PulumiCommand.get()` finds it on PATH, where findPulumi
 * found it.
 */
export function pulumiRoot(binDir: string): string | undefined {
  return basename(binDir) === "bin" ? dirname(binDir) : undefined;
}
