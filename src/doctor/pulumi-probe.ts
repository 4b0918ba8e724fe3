// Facts about the Pulumi CLI and its plugins: the CLI at the pinned version (src/engine/pulumi-cli.ts),
// the Node.js language host, and the dynamic-provider plugin the local backend's resources need.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import {
  cachedPulumiBinDir,
  findPulumi,
  pinnedPulumiVersion,
  pulumiPackageDir,
  type PulumiCli,
} from "../engine/pulumi-cli.js";
import type { Exec } from "./exec.js";

export const LANGUAGE_HOST = "pulumi-language-nodejs";
export const DYNAMIC_PROVIDER = "pulumi-resource-pulumi-nodejs";

/** Where the probe learns about Pulumi; tests replace it. */
export interface PulumiLookup {
  find(): PulumiCli | undefined;
  pinnedVersion(): string;
  packageDir(): string;
}

export const systemPulumiLookup: PulumiLookup = {
  find: findPulumi,
  pinnedVersion: pinnedPulumiVersion,
  packageDir: pulumiPackageDir,
};

export interface PulumiProbe {
  pinned: string;
  /** The CLI at the pinned version, when found. */
  cli: PulumiCli | undefined;
  /** The cache folder scripts/ensure-pulumi installs into. */
  cacheDir: string;
  /** What a `pulumi` on PATH reports when it is not the pinned version ("v3.100.0"), else undefined. */
  otherVersionOnPath: string | undefined;
  /** Path of the language host, when found next to the CLI or on PATH. */
  languageHost: string | undefined;
  /** Path of the dynamic-provider plugin, when found next to the CLI, in @pulumi/pulumi or on PATH. */
  dynamicProvider: string | undefined;
}

export interface PulumiProbeInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  exec: Exec;
  lookup?: PulumiLookup;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findIn(dirs: readonly string[], name: string): string | undefined {
  return dirs.map((d) => join(d, name)).find(executable);
}

export function probePulumi({ env, home, exec, lookup = systemPulumiLookup }: PulumiProbeInput): PulumiProbe {
  const pinned = lookup.pinnedVersion();
  const cacheDir = cachedPulumiBinDir(pinned, {
    DSTACK_CACHE: env.DSTACK_CACHE || join(home, ".cache", "dstack"),
  });
  const cli = lookup.find();
  let otherVersionOnPath: string | undefined;
  if (cli === undefined) {
    const r = exec("pulumi", ["version"], { timeoutMs: 30_000 });
    const reported = r.stdout.trim().split("\n").pop()?.trim() ?? "";
    if (r.code === 0 && reported !== "" && reported !== `v${pinned}`) otherVersionOnPath = reported;
  }
  const pathDirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  const cliDirs = cli === undefined ? [] : [cli.binDir];
  return {
    pinned,
    cli,
    cacheDir,
    otherVersionOnPath,
    languageHost: findIn([...cliDirs, ...pathDirs], LANGUAGE_HOST),
    dynamicProvider: findIn([...cliDirs, lookup.packageDir(), ...pathDirs], DYNAMIC_PROVIDER),
  };
}
