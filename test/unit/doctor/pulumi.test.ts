import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pulumiChecks } from "../../../src/doctor/pulumi-checks.js";
import { probePulumi, type PulumiLookup } from "../../../src/doctor/pulumi-probe.js";
import { fakeExec, tempDir, withFiles } from "./fakes.js";

function lookup(binDir: string | undefined, packageDir = tempDir()): PulumiLookup {
  return {
    find: () => (binDir === undefined ? undefined : { binDir, version: "3.248.0" }),
    pinnedVersion: () => "3.248.0",
    packageDir: () => packageDir,
  };
}

describe("Pulumi probe and checks", () => {
  it("finds the CLI, the dynamic provider next to it and the language host on PATH", () => {
    const bin = withFiles({ "pulumi+x": "", "pulumi-resource-pulumi-nodejs+x": "" });
    const pathDir = withFiles({ "pulumi-language-nodejs+x": "" });
    const probe = probePulumi({
      env: { PATH: pathDir },
      home: tempDir(),
      exec: fakeExec({}),
      lookup: lookup(bin),
    });
    expect(probe).toMatchObject({
      cli: { binDir: bin },
      languageHost: join(pathDir, "pulumi-language-nodejs"),
      dynamicProvider: join(bin, "pulumi-resource-pulumi-nodejs"),
    });
    expect(pulumiChecks(probe).map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("a missing CLI is an error naming the cache and the pulumi on PATH; no language host is a warning", () => {
    const home = tempDir();
    const pkg = withFiles({ "pulumi-resource-pulumi-nodejs+x": "" });
    const exec = fakeExec({ "pulumi version": { stdout: "warning: update\nv3.100.0\n" } });
    const probe = probePulumi({ env: { PATH: "" }, home, exec, lookup: lookup(undefined, pkg) });
    const [cli, language, dynamic] = pulumiChecks(probe);
    expect(cli).toMatchObject({
      name: "pulumi-cli",
      status: "error",
      hint: expect.stringContaining("./scripts/ensure-pulumi") as string,
    });
    expect(cli!.detail).toContain(join(home, ".cache", "dstack", "pulumi", "v3.248.0", "bin"));
    expect(cli!.detail).toContain("the pulumi on PATH is v3.100.0");
    expect(language).toMatchObject({ name: "pulumi-language-nodejs", status: "warning" });
    expect(language!.detail).toMatch(/inline programs/);
    expect(dynamic).toMatchObject({ status: "ok", detail: expect.stringContaining(pkg) as string });
  });

  it("honours DSTACK_CACHE and reports a missing dynamic provider as an error", () => {
    const probe = probePulumi({
      env: { DSTACK_CACHE: "/opt/cache" },
      home: tempDir(),
      exec: fakeExec({}),
      lookup: lookup(undefined),
    });
    expect(probe.cacheDir).toBe("/opt/cache/pulumi/v3.248.0/bin");
    expect(probe.otherVersionOnPath).toBeUndefined();
    expect(pulumiChecks(probe)[2]).toMatchObject({ name: "pulumi-dynamic-provider", status: "error" });
  });
});
