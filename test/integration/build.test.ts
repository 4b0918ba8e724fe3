// Prebuilt environments end to end on the local backend (issue 14), as a user runs them: the built CLI,
// the real registry of scripts/ensure-registry, the real Pulumi engine, local instances and their agent.
// apply without the image stops at plan time; `dstack build` pushes it under its key; apply starts from
// it without running the build again; an edited build command makes a new key; --force-build rebuilds;
// a failing build says why with its log tail and leaves no image and no container.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "../../src/build/registry-client.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { cliSync, e2eEnv, poolFile, poolStack, runCli } from "./e2e-cli.js";
import { requirePulumi } from "./pulumi-path.js";
import { requireRegistry } from "./registry.js";

const ID = `b${process.pid}${Date.now().toString(36)}`;
const NAME = `it-build-${ID}`;
const REPO = `dstack-prebuilt/${NAME}`;
const home = mkdtempSync(join(tmpdir(), "dstack-build-home-"));
const dir = mkdtempSync(join(tmpdir(), "dstack-build-repo-"));
const env = e2eEnv(home);
// Printed by the build only: a run from the prebuilt image must not show it.
const BUILD_MARK = `build-step-ran-${ID}`;

const task = (build: string[]): string =>
  [
    "type: task",
    `name: ${NAME}`,
    "build:",
    ...build.map((c) => `  - ${JSON.stringify(c)}`),
    "commands:",
    `  - ${JSON.stringify('echo "run sees: $(cat /opt/built) $(cat /opt/req)"')}`,
    "",
  ].join("\n");
const BUILD = [`echo ${BUILD_MARK}`, `echo built-${ID} > /opt/built`, "cp requirements.txt /opt/req"];

let registry: RegistryClient;

const cli = (args: string[]) => runCli(args, { cwd: dir, env, timeoutMs: 300_000 });
const keyIn = (text: string): string => /key ([0-9a-f]{16})/.exec(text)?.[1] ?? "none";

beforeAll(async () => {
  requirePulumi();
  requireDockerImages(localImages().instance, localImages().base);
  registry = new RegistryClient(await requireRegistry());
  writeFileSync(join(dir, "requirements.txt"), `numpy # ${ID}\n`);
  writeFileSync(join(dir, "task.dstack.yml"), task(BUILD));
  writeFileSync(join(dir, "edited.dstack.yml"), task([...BUILD, "echo one more step"]));
  writeFileSync(
    join(dir, "failing.dstack.yml"),
    task([`echo before-failure-${ID}`, "echo it broke >&2; exit 7"]),
  );
});

afterAll(async () => {
  // Leave nothing behind: the instances (through their stacks), their containers, the images.
  const instances = poolFile(home).map((i) => i.name);
  for (const name of instances) cliSync(["pool", "remove", name, "--force", "-y"], { cwd: dir, env });
  for (const name of instances)
    for (const id of containersWithLabel(`dstack.instance=${name}`)) tryDocker(["rm", "-f", id]);
  for (const tag of await registry.tags(REPO).catch(() => [])) await registry.deleteTag(REPO, tag);
  // Every local image of the test's repository, the one --force-build replaced included.
  const ids = tryDocker(["images", "-q", `127.0.0.1:5000/${REPO}`])
    .stdout.split("\n")
    .filter((l) => l !== "");
  for (const id of new Set(ids)) tryDocker(["rmi", "-f", id]);
}, 240_000);

describe("prebuilt environments on the local backend", () => {
  let key = "";

  it("apply without the image stops at plan time, naming dstack build and --build; nothing is provisioned", async () => {
    const r = await cli(["apply", "-f", "task.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("`dstack build -f task.dstack.yml`");
    expect(r.stderr).toContain("--build");
    expect(r.stderr).toContain("files hashed: requirements.txt (cp (source), build command 3)");
    key = keyIn(r.stderr);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(poolFile(home)).toEqual([]);
    expect(poolStack(home).instances).toEqual([]);
  });

  it("dstack build pushes the image under its key, streaming the build's log", async () => {
    const r = await cli(["build", "-f", "task.dstack.yml", "-y", "--json"]);
    expect(r.code, r.out).toBe(0);
    const out = JSON.parse(r.stdout) as { image: string; key: string; built: boolean; digest: string };
    expect(out).toMatchObject({ image: `127.0.0.1:5000/${REPO}:${key}`, key, built: true });
    expect(r.stderr).toContain(BUILD_MARK);
    const manifest = await registry.manifest(REPO, key);
    expect(manifest?.digest).toBe(out.digest);
    expect(manifest?.labels["dev.dstack.prebuilt.base"]).toBe(localImages().base);
    // The instance idles, no claim left on it; a second build has nothing to do.
    expect(poolFile(home)).toHaveLength(1);
    const again = await cli(["build", "-f", "task.dstack.yml", "-y"]);
    expect(again.code, again.out).toBe(0);
    expect(again.stdout).toContain("already exists");
    expect(again.stderr).not.toContain(BUILD_MARK);
    const list = await cli(["build", "--list", "--json"]);
    const images = (JSON.parse(list.stdout) as { images: { image: string; base: string; size: number }[] })
      .images;
    expect(images.find((i) => i.image === out.image)).toMatchObject({ base: localImages().base });
  });

  it("apply starts from the prebuilt image: the run sees what the build made, and the build does not run again", async () => {
    const r = await cli(["apply", "-f", "task.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`Prebuilt image 127\\.0\\.0\\.1:5000/${REPO}:${key} \\(built \\d+s ago\\)`),
    );
    expect(r.out).toContain(`run sees: built-${ID} numpy # ${ID}`);
    expect(r.out).not.toContain(BUILD_MARK);
    expect(r.out).toContain("Reusing idle instance");
  });

  it("an edited build command is a new key: apply stops again", async () => {
    const r = await cli(["apply", "-f", "edited.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("`dstack build -f edited.dstack.yml`");
    expect(keyIn(r.stderr)).not.toBe(key);
  });

  it("--force-build builds again, then runs", async () => {
    const before = (await registry.manifest(REPO, key))?.digest;
    const r = await cli(["apply", "-f", "task.dstack.yml", "--force-build", "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain(BUILD_MARK);
    expect(r.stderr).toContain(`Built 127.0.0.1:5000/${REPO}:${key}`);
    expect(r.out).toContain(`run sees: built-${ID}`);
    // A new commit (its creation time differs): a new manifest under the same key.
    expect((await registry.manifest(REPO, key))?.digest).not.toBe(before);
  });

  it("a failing build command: its exit code and log tail, nothing pushed, no container left", async () => {
    const r = await cli(["apply", "-f", "failing.dstack.yml", "--build", "-y"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("a build command exited with code 7; nothing was pushed");
    expect(r.stderr).toMatch(new RegExp(`Last lines of its log:\\n  before-failure-${ID}\\n  it broke`));
    const failedKey = keyIn(r.stderr);
    expect(failedKey).toMatch(/^[0-9a-f]{16}$/);
    expect(await registry.tags(REPO)).not.toContain(failedKey);
    expect(containersWithLabel(`dstack.build=build-${failedKey}`)).toEqual([]);
    // The run was not submitted.
    expect(r.out).not.toContain("Launching");
  });

  it("--delete removes an image from the registry", async () => {
    const r = await cli(["build", "--delete", key, "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(await registry.manifest(REPO, key)).toBeUndefined();
  });
});
