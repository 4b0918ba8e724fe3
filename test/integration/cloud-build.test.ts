// Prebuilt environments on a cloud (issue 14), end to end against the fake cloud with booting on and
// its registries' data plane on this machine's real registry (test/fake-cloud/SPEC.md, "Registries"):
// `dstack build` placed on AWS creates the project's registry stack there (ECR repository, IAM role,
// instance profile) the first time, builds on a booted instance, and pushes under the key with the
// short-lived ECR token the CLI asked of the cloud through the provider; `apply` then finds the image
// in that registry, goes where it is kept, and the run starts from it. The token is found nowhere on
// disk: not in ~/.dstack, the state, the fake cloud's store or the instance's agent data.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "../../src/build/registry-client.js";
import { BOOT_ENV } from "../fake-cloud/boot/options.js";
import { REGISTRY_ENV } from "../fake-cloud/core/data-plane.js";
import { fakeRegistryToken } from "../fake-cloud/core/registry-tokens.js";
import { installFakeCloud } from "../fake-cloud/install.js";
import { listResources } from "../fake-cloud/state.js";
import { ACCOUNT_ID } from "../fake-cloud/aws/geo.js";
import { localImages, requireDockerImages } from "./docker.js";
import { runCli } from "./e2e-cli.js";
import { cleanUp } from "./fake-cloud-boot.js";
import { fleetUser, orphans, type FleetUser } from "./fleet-e2e.js";
import { requirePulumi } from "./pulumi-path.js";
import { requireRegistry } from "./registry.js";

const ID = `cb${process.pid}${Date.now().toString(36)}`;
const tmp = mkdtempSync(join(tmpdir(), "dstack-cloud-build-"));
const repo = join(tmp, "repo");
const users: FleetUser[] = [];
const BUILD_MARK = `cloud-build-step-ran-${ID}`;
const ECR_PATH = "aws/us-east-1/dstack/main/prebuilt";
let fakeBin = "";
let registryHost = "";
/** The images the tests pushed (repository path, key), deleted at the end. */
const pushed: [string, string][] = [];

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=e2e@dstack", "-c", "user.name=e2e", ...args], { cwd: repo });
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (st === undefined) continue;
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size < 50_000_000 && readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

afterAll(async () => {
  cleanUp(users);
  const registry = new RegistryClient(registryHost);
  for (const [path, tag] of pushed) await registry.deleteTag(path, tag).catch(() => false);
}, 120_000);

describe("prebuilt environments on AWS (fake cloud, booting, real registry)", () => {
  let u: FleetUser;
  let key = "";
  const cli = (args: string[]) => runCli(args, { cwd: repo, env: u.env, timeoutMs: 480_000 });

  beforeAll(async () => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    registryHost = await requireRegistry();
    fakeBin = installFakeCloud(join(tmp, "fake-bin")).binDir;
    execFileSync("mkdir", ["-p", repo]);
    writeFileSync(join(repo, "requirements.txt"), `torch # ${ID}\n`);
    writeFileSync(
      join(repo, "train.dstack.yml"),
      [
        "type: task",
        "name: train",
        "build:",
        `  - echo ${BUILD_MARK}`,
        `  - echo built-${ID} > /opt/built`,
        "  - cp requirements.txt /opt/req",
        "commands:",
        `  - ${JSON.stringify('echo "run sees: $(cat /opt/built) $(cat /opt/req)"')}`,
        "backends: [aws]",
        "regions: [us-east-1]",
        "instance_types: [t3.large]",
        "spot_policy: on-demand",
        "idle_duration: 30m",
        "",
      ].join("\n"),
    );
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "init");
    u = fleetUser(fakeBin, "backends:\n  - type: aws\n", { [BOOT_ENV]: "1", [REGISTRY_ENV]: registryHost });
    users.push(u);
  });

  it("apply without the image stops at plan time; nothing is created, not even the registry", async () => {
    const r = await cli(["apply", "-f", "train.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("`dstack build -f train.dstack.yml`");
    key = /key ([0-9a-f]{16})/.exec(r.stderr)?.[1] ?? "";
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(listResources(u.cloud, "aws", "aws:ec2/instance:Instance")).toEqual([]);
    expect(listResources(u.cloud, "aws", "aws:ecr/repository:Repository")).toEqual([]);
  }, 600_000);

  it("dstack build creates the registry stack, builds on an AWS instance and pushes there with a short-lived token", async () => {
    const r = await cli(["build", "-f", "train.dstack.yml", "-y", "--json"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain("The project's registry in aws us-east-1 does not exist yet");
    expect(r.stderr).toContain("aws:ecr/repository:Repository");
    expect(r.stderr).toContain(BUILD_MARK);
    const out = JSON.parse(r.stdout) as { image: string; key: string; digest: string; instance: string };
    expect(out).toMatchObject({ image: `${registryHost}/${ECR_PATH}:${key}`, key });
    pushed.push([ECR_PATH, key]);

    // The registry's stack made the repository and the instances' identity; dstack recorded it.
    const [ecr] = listResources(u.cloud, "aws", "aws:ecr/repository:Repository");
    expect(ecr?.outputs.repositoryUrl).toBe(`${registryHost}/${ECR_PATH}`);
    expect(listResources(u.cloud, "aws", "aws:iam/instanceProfile:InstanceProfile")).toHaveLength(1);
    const record = JSON.parse(
      readFileSync(join(u.home, ".dstack", "registries", "aws-us-east-1.json"), "utf8"),
    ) as { registry: string; repository: string; stack: { project: string; stack: string } };
    expect(record).toMatchObject({
      registry: registryHost,
      repository: `${registryHost}/${ECR_PATH}`,
      stack: { project: "dstack-main-aws-registry", stack: "us-east-1" },
    });

    // The image is in the registry under the key, with the digest the build reported.
    const manifest = await new RegistryClient(registryHost).manifest(ECR_PATH, key);
    expect(manifest?.digest).toBe(out.digest);
    expect(manifest?.labels["dev.dstack.prebuilt.base"]).toBe(localImages().base);

    // The listing reads the cloud's registry with its token too, and says where each image is.
    const list = await cli(["build", "--list", "--json"]);
    expect(list.code, list.out).toBe(0);
    const images = (JSON.parse(list.stdout) as { images: { image: string; where: string; key: string }[] })
      .images;
    expect(images).toContainEqual(expect.objectContaining({ image: out.image, where: "aws us-east-1", key }));
  }, 600_000);

  it("apply finds the image in the AWS registry, runs there from it, and the build does not run again", async () => {
    const r = await cli(["apply", "-f", "train.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain(`Prebuilt image ${registryHost}/${ECR_PATH}:${key}`);
    expect(r.stderr).toContain("the run goes where it is kept (the aws us-east-1 registry)");
    expect(r.out).toContain(`run sees: built-${ID} torch # ${ID}`);
    expect(r.out).not.toContain(BUILD_MARK);
    expect(r.out).toContain("Reusing idle instance");
  }, 600_000);

  it("the registry token is written nowhere: not in ~/.dstack, the state, the fake cloud's store or the agent's data", () => {
    const token = fakeRegistryToken(`aws:${ACCOUNT_ID}:us-east-1`);
    expect(filesContaining(u.home, token)).toEqual([]);
    // The instance's agent data lives in the fake cloud's store (instances/<container>/data).
    expect(filesContaining(u.cloud, token)).toEqual([]);
  });

  it("removing the instance leaves the registry and its image (no pool teardown deletes images)", async () => {
    const pool = JSON.parse(readFileSync(join(u.home, ".dstack", "pools", "aws-us-east-1.json"), "utf8")) as {
      instances: { name: string }[];
    };
    for (const instance of pool.instances) {
      const removed = await cli(["pool", "remove", instance.name, "--force", "-y"]);
      expect(removed.code, removed.out).toBe(0);
    }
    expect(listResources(u.cloud, "aws", "aws:ec2/instance:Instance")).toEqual([]);
    expect(listResources(u.cloud, "aws", "aws:ecr/repository:Repository")).toHaveLength(1);
    expect(await new RegistryClient(registryHost).manifest(ECR_PATH, key)).toBeDefined();
    expect(orphans(u)).toEqual([]);
  }, 600_000);
});

describe("prebuilt environments on GCP (fake cloud, booting, real registry)", () => {
  const AR_PATH = "gcp/us-central1/dstack-test/dstack-main/prebuilt";
  let u: FleetUser;
  const cli = (args: string[]) => runCli(args, { cwd: repo, env: u.env, timeoutMs: 480_000 });

  beforeAll(() => {
    writeFileSync(
      join(repo, "gcp.dstack.yml"),
      [
        "type: task",
        "name: gcp-train",
        "build:",
        `  - echo gcp-built-${ID} > /opt/built`,
        "commands:",
        `  - ${JSON.stringify('echo "gcp run sees: $(cat /opt/built)"')}`,
        "backends: [gcp]",
        "regions: [us-central1]",
        "instance_types: [e2-standard-4]",
        "spot_policy: on-demand",
        "idle_duration: 30m",
        "",
      ].join("\n"),
    );
    u = fleetUser(fakeBin, "backends:\n  - type: gcp\n    project: dstack-test\n", {
      [BOOT_ENV]: "1",
      [REGISTRY_ENV]: registryHost,
    });
    users.push(u);
  });

  it("apply --build creates the Artifact Registry stack, builds there with the access token, then runs from the image", async () => {
    const r = await cli(["apply", "-f", "gcp.dstack.yml", "--build", "-y"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain("The project's registry in gcp us-central1 does not exist yet");
    expect(r.stderr).toContain(`Built ${registryHost}/${AR_PATH}:`);
    expect(r.out).toContain(`gcp run sees: gcp-built-${ID}`);
    const [repository] = listResources(u.cloud, "gcp", "gcp:artifactregistry/repository:Repository");
    expect(repository?.outputs.registryUri).toBe(`${registryHost}/gcp/us-central1/dstack-test/dstack-main`);
    const key = new RegExp(`${AR_PATH}:([0-9a-f]{16})`).exec(r.stderr)?.[1] ?? "";
    pushed.push([AR_PATH, key]);
    expect(await new RegistryClient(registryHost).manifest(AR_PATH, key)).toBeDefined();
    expect(filesContaining(u.home, fakeRegistryToken("gcp:dstack-test"))).toEqual([]);
    expect(filesContaining(u.cloud, fakeRegistryToken("gcp:dstack-test"))).toEqual([]);
  }, 600_000);

  it("an Azure-only configuration with build is refused with what to do, before anything is created", async () => {
    const az = fleetUser(
      fakeBin,
      "backends:\n  - type: azure\n    subscription_id: 11111111-2222-3333-4444-555555555555\n",
    );
    users.push(az);
    writeFileSync(
      join(repo, "az.dstack.yml"),
      "type: task\nname: az-train\nbuild: [echo hi]\ncommands: [echo run]\nbackends: [azure]\nregions: [eastus]\n",
    );
    const r = await runCli(["build", "-f", "az.dstack.yml", "-y"], {
      cwd: repo,
      env: az.env,
      timeoutMs: 480_000,
    });
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("prebuilt images on Azure are not supported yet");
    expect(listResources(az.cloud, "azure")).toEqual([]);
  }, 600_000);
});
