// The prebuilt image's key: it changes with everything that changes the image (base digest, each
// command, env names and non-secret values, platform, CUDA flavour, the content of the repository files
// the commands read, a named file appearing) and with nothing else; secret values never reach it.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildKey, canonicalJson, type BuildKeyInput } from "../../../src/build/build-key.js";
import { Secret } from "../../../src/compiler/secret.js";

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "dstack-build-key-"));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const write = (path: string, text: string): void => {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const input = (over: Partial<BuildKeyInput> = {}): BuildKeyInput => ({
  baseImageDigest: "sha256:" + "a".repeat(64),
  commands: ["apt-get update && apt-get install -y jq", "pip install -r requirements.txt"],
  env: { MODE: "fast" },
  platform: "linux/amd64",
  cuda: "none",
  repoDir: repo,
  ...over,
});
const key = (over: Partial<BuildKeyInput> = {}): string => buildKey(input(over)).key;

describe("buildKey", () => {
  it("is a 16-hex tag, the start of the full sha256 digest, and stable", () => {
    write("requirements.txt", "requests==2.31.0\n");
    const k = buildKey(input());
    expect(k.key).toMatch(/^[0-9a-f]{16}$/);
    expect(k.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(k.digest.slice(7, 23)).toBe(k.key);
    expect(buildKey(input()).digest).toBe(k.digest);
  });

  it("changes when any build command changes, or their order (dstack's key did not)", () => {
    const base = key();
    expect(
      key({ commands: ["apt-get update && apt-get install -y jq curl", "pip install -r requirements.txt"] }),
    ).not.toBe(base);
    expect(
      key({ commands: ["pip install -r requirements.txt", "apt-get update && apt-get install -y jq"] }),
    ).not.toBe(base);
    expect(key({ commands: ["apt-get update && apt-get install -y jq"] })).not.toBe(base);
  });

  it("changes with the base digest, the platform and the CUDA flavour", () => {
    const base = key();
    const others = [
      key({ baseImageDigest: "sha256:" + "b".repeat(64) }),
      key({ platform: "linux/arm64" }),
      key({ cuda: "12.1" }),
    ];
    expect(new Set([base, ...others]).size).toBe(4);
  });

  it("keys plain env values, and secret ones by name only", () => {
    const base = key();
    expect(key({ env: { MODE: "slow" } })).not.toBe(base);
    expect(key({ env: { MODE: "fast", OTHER: "" } })).not.toBe(base);
    const withToken = (token: string): BuildKeyInput =>
      input({ env: { MODE: "fast", HF_TOKEN: new Secret(token) } });
    const a = buildKey(withToken("hf_secret_one"));
    const b = buildKey(withToken("hf_secret_two"));
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(base);
    expect(a.secretEnv).toEqual(["HF_TOKEN"]);
    expect(a.canonical).not.toContain("hf_secret_one");
    expect(JSON.stringify(a)).not.toContain("hf_secret_one");
    // A value made secret (-e on the command line) keys differently from the same value written in the file.
    expect(key({ env: { MODE: new Secret("fast") } })).not.toBe(base);
  });

  it("does not depend on the order env variables were declared in", () => {
    expect(key({ env: { A: "1", B: "2" } })).toBe(key({ env: { B: "2", A: "1" } }));
  });

  it("hashes the files the commands read, says why, and changes with their content", () => {
    write("requirements.txt", "requests==2.31.0\n");
    const before = buildKey(input());
    expect(before.hashedFiles.map((f) => [f.path, f.why])).toEqual([
      ["requirements.txt", "pip install -r, build command 2"],
    ]);
    expect(before.hashedFiles[0]!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    write("requirements.txt", "requests==2.32.0\n");
    expect(key()).not.toBe(before.key);
  });

  it("hashes a missing file as missing, so that creating it changes the key", () => {
    const missing = buildKey(input());
    expect(missing.hashedFiles).toEqual([
      { path: "requirements.txt", why: "pip install -r, build command 2", hash: "missing" },
    ]);
    write("requirements.txt", "");
    expect(key()).not.toBe(missing.key);
  });

  it("ignores files the commands do not name", () => {
    write("requirements.txt", "x\n");
    const base = key();
    write("README.md", "edited");
    write("src/train.py", "print(1)");
    expect(key()).toBe(base);
  });

  it("follows -r and -c lines inside a requirements file, relative to it", () => {
    write("reqs/main.txt", "-r base.txt\n-c ../constraints.txt\nnumpy\n");
    write("reqs/base.txt", "requests\n");
    write("constraints.txt", "numpy<2\n");
    const commands = ["pip install -r reqs/main.txt"];
    const k = buildKey(input({ commands }));
    expect(k.hashedFiles.map((f) => [f.path, f.why])).toEqual([
      ["reqs/main.txt", "pip install -r, build command 1"],
      ["reqs/base.txt", "included by reqs/main.txt"],
      ["constraints.txt", "included by reqs/main.txt"],
    ]);
    write("reqs/base.txt", "requests==2\n");
    expect(key({ commands })).not.toBe(k.key);
  });

  it("reports an include outside the repository as not hashed", () => {
    write("r.txt", "-r ../../etc/shared.txt\n-r ${EXTRA}/x.txt\n");
    expect(buildKey(input({ commands: ["pip install -r r.txt"] })).notHashed).toEqual([
      { path: "../../etc/shared.txt", why: "outside the repository (included by r.txt)" },
      { path: "${EXTRA}/x.txt", why: "pip expands it (included by r.txt)" },
    ]);
  });

  it("hashes a copied folder as a tree: contents, names and exec bits; .git left out", () => {
    write("assets/a.txt", "a");
    write("assets/sub/b.txt", "b");
    const commands = ["cp -r assets /opt/assets"];
    const k = key({ commands });
    expect(buildKey(input({ commands })).hashedFiles[0]!.hash).toMatch(/^tree:sha256:/);
    write("assets/.git/HEAD", "ref");
    expect(key({ commands })).toBe(k);
    write("assets/sub/b.txt", "B");
    const k2 = key({ commands });
    expect(k2).not.toBe(k);
    chmodSync(join(repo, "assets/sub/b.txt"), 0o755);
    expect(key({ commands })).not.toBe(k2);
  });

  it("follows a named file that is a link to the file it points to", () => {
    write("real.txt", "one");
    symlinkSync("real.txt", join(repo, "requirements.txt"));
    const k = key();
    write("real.txt", "two");
    expect(key()).not.toBe(k);
  });

  it("keeps the canonical text it hashed, keys sorted", () => {
    const k = buildKey(input({ commands: ["echo hi"], env: { Z: "1", A: "2" } }));
    expect(k.canonical).toBe(
      `{"base":"sha256:${"a".repeat(64)}","commands":["echo hi"],"cuda":"none","env":{"A":"2","Z":"1"},"files":{},"platform":"linux/amd64","v":1}`,
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: [3, { y: 1, x: 2 }], a: "s" })).toBe('{"a":"s","b":[3,{"x":2,"y":1}]}');
  });
});
