// Installing the fake cloud for the real Pulumi engine: plugin scripts named like the real provider
// plugins, in a folder that goes first on the engine's PATH. The engine prefers plugins found on PATH
// ("using pulumi-resource-aws from $PATH") over downloading them, so a program using @pulumi/aws,
// @pulumi/gcp or @pulumi/azure-native then talks to the fake. State lives in $DSTACK_FAKE_CLOUD_DIR.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localImages } from "../../src/stacks/local/images.js";
import { BOOT_ENV, IMAGE_ENV } from "./boot/options.js";
import { buildFakeCloud } from "./build.js";
import { DIR_ENV } from "./core/provider.js";

export interface FakeCloudInstall {
  /** The folder holding the plugin scripts: put it first on the engine's PATH. */
  binDir: string;
  /** The bundled plugin the scripts run. */
  bundle: string;
  /** The scripts written, by package: aws, gcp, azure-native. */
  plugins: Record<"aws" | "gcp" | "azure-native", string>;
}

const PLUGINS = { aws: "aws", gcp: "gcp", "azure-native": "azure" } as const;

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes pulumi-resource-{aws,gcp,azure-native} into binDir (created if missing), building the bundle if
 * stale. Each script names the local instance image of this checkout (DSTACK_FAKE_CLOUD_IMAGE, unless
 * the environment sets one), which booted instances run.
 */
export function installFakeCloud(binDir: string): FakeCloudInstall {
  const bundle = buildFakeCloud();
  const image = localImages().instance;
  mkdirSync(binDir, { recursive: true });
  const plugins = {} as Record<keyof typeof PLUGINS, string>;
  for (const [pkg, cloud] of Object.entries(PLUGINS) as [keyof typeof PLUGINS, string][]) {
    const path = join(binDir, `pulumi-resource-${pkg}`);
    writeFileSync(
      path,
      `#!/bin/sh\n: "\${${IMAGE_ENV}:=${image}}"\nexport ${IMAGE_ENV}\nexec ${shellQuote(process.execPath)} ${shellQuote(bundle)} ${cloud} "$@"\n`,
    );
    chmodSync(path, 0o755);
    plugins[pkg] = path;
  }
  return { binDir, bundle, plugins };
}

/**
 * The environment the engine (and so the plugins) needs: the state directory, and with `boot` the
 * opt-in that makes instance creates boot containers (see SPEC.md "Booting").
 */
export function fakeCloudEnv(stateDir: string, opts: { boot?: boolean } = {}): Record<string, string> {
  return { [DIR_ENV]: stateDir, ...(opts.boot === true ? { [BOOT_ENV]: "1" } : {}) };
}
