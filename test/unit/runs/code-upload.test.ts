// What a run gets of the user's code (`repos`, `files`): each entry lands at its container path in the
// upload the agent extracts into /workflow (or under the relocation folders for paths elsewhere), local
// paths resolve against the configuration's folder and `~`, a Git URL is cloned here, and a missing
// path or an unclonable URL is a clear error. The archives are extracted with the system's tar, as the
// agent does.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import type { RunSpec } from "../../../src/compiler/spec.js";
import {
  checkLocalPaths,
  containerPath,
  createCodeUpload,
  uploadPlace,
} from "../../../src/runs/code-upload.js";

function spec(yaml: string): RunSpec {
  const r = compile({
    file: "x.dstack.yml",
    text: `type: task\ncommands: [hostname]\n${yaml}`,
    noProfile: true,
  });
  if (r.spec === null || r.spec.type === "fleet" || r.spec.type === "volume")
    throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.spec;
}

/** Every file of the extracted upload, relative, with its content. */
function extracted(archive: Buffer): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "dstack-upload-out-"));
  execFileSync("tar", ["-xzf", "-", "-C", dir, "--ignore-zeros"], { input: archive });
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out[r] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd })
    .toString()
    .trim();

let root: string;
let home: string;
const savedHome = process.env.HOME;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "dstack-upload-"));
  home = join(root, "home");
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh", "id_test"), "secret key\n");
  process.env.HOME = home;
  // The project: a git repo with the configuration in examples/, an ignored file, a lib folder.
  const project = join(root, "project");
  mkdirSync(join(project, "examples"), { recursive: true });
  mkdirSync(join(project, "lib"), { recursive: true });
  writeFileSync(join(project, "train.py"), "print(1)\n");
  writeFileSync(join(project, ".gitignore"), "*.ckpt\n");
  writeFileSync(join(project, "model.ckpt"), "big\n");
  writeFileSync(join(project, "lib", "util.py"), "x = 1\n");
  writeFileSync(join(project, "examples", ".dstack.yml"), "type: task\n");
  git(project, "init", "-q");
});

afterEach(() => {
  process.env.HOME = savedHome;
});

describe("container paths", () => {
  it("resolve against the working directory, keep ~, and place outside paths for relocation", () => {
    expect(containerPath(".", "/workflow")).toBe("/workflow");
    expect(containerPath("../data", "/workflow/src")).toBe("/workflow/data");
    expect(containerPath("/opt/x", "/workflow")).toBe("/opt/x");
    expect(containerPath("~/.ssh/k", "/workflow")).toBe("~/.ssh/k");
    expect(uploadPlace("/workflow")).toBe("");
    expect(uploadPlace("/workflow/examples")).toBe("examples");
    expect(uploadPlace("/opt/x")).toBe(".dstack-outside/opt/x");
    expect(uploadPlace("~/.ssh/k")).toBe(".dstack-home/.ssh/k");
  });
});

describe("createCodeUpload", () => {
  it("without repos: the folder apply runs in, at /workflow, .gitignore applied (as before repos existed)", async () => {
    const project = join(root, "project");
    const up = await createCodeUpload({
      spec: spec(""),
      repoDir: project,
      configFile: "examples/.dstack.yml",
    });
    const files = extracted(up.archive);
    expect(files["train.py"]).toBe("print(1)\n");
    expect(files["lib/util.py"]).toBe("x = 1\n");
    expect(files["model.ckpt"]).toBeUndefined();
  });

  it("repos: a local folder relative to the configuration, at its path; files: short and long forms, ~ and absolute", async () => {
    const project = join(root, "project");
    const s = spec(
      [
        "repos:",
        "  - ..:/opt/project",
        "files:",
        "  - ../lib:libs/lib",
        "  - ../train.py",
        "  - ~/.ssh/id_test",
        "  - {local_path: ../lib/util.py, path: /etc/util.py}",
      ].join("\n"),
    );
    const up = await createCodeUpload({ spec: s, repoDir: project, configFile: "examples/.dstack.yml" });
    const files = extracted(up.archive);
    expect(files[".dstack-outside/opt/project/train.py"]).toBe("print(1)\n");
    expect(files[".dstack-outside/opt/project/model.ckpt"]).toBeUndefined();
    expect(files["libs/lib/util.py"]).toBe("x = 1\n");
    // No container path: the local path as written, against the working directory (/workflow/../train.py).
    expect(files[".dstack-outside/train.py"]).toBe("print(1)\n");
    expect(files[".dstack-home/.ssh/id_test"]).toBe("secret key\n");
    expect(files[".dstack-outside/etc/util.py"]).toBe("x = 1\n");
    expect(up.files).toBe(Object.keys(files).length);
  });

  it("repos: a Git URL is cloned here at its branch (or commit) and placed at the working directory", async () => {
    const origin = join(root, "origin");
    mkdirSync(origin);
    git(origin, "init", "-q", "-b", "main");
    writeFileSync(join(origin, "README.md"), "v1\n");
    git(origin, "add", ".");
    git(origin, "commit", "-qm", "one");
    const first = git(origin, "rev-parse", "HEAD");
    writeFileSync(join(origin, "README.md"), "v2\n");
    git(origin, "commit", "-qam", "two");
    const project = join(root, "project");
    const url = `file://${origin}`;
    const head = await createCodeUpload({
      spec: spec(`repos: [${url}]\n`),
      repoDir: project,
      configFile: "x.yml",
    });
    expect(extracted(head.archive)).toEqual({ "README.md": "v2\n" });
    const pinned = await createCodeUpload({
      spec: spec(`repos:\n  - {url: "${url}", hash: ${first}, path: src}\n`),
      repoDir: project,
      configFile: "x.yml",
    });
    expect(extracted(pinned.archive)).toEqual({ "src/README.md": "v1\n" });
  });

  it("a missing local path and an unclonable URL are clear errors", async () => {
    const project = join(root, "project");
    // Checked before anything is created (apply calls this first); URLs are left to the clone.
    expect(() =>
      checkLocalPaths({
        spec: spec("files: [../nope.txt]\n"),
        repoDir: project,
        configFile: "examples/.dstack.yml",
      }),
    ).toThrow("files: ../nope.txt does not exist");
    expect(() =>
      checkLocalPaths({
        spec: spec("repos: [..]\nfiles: [~/.ssh/id_test]\n"),
        repoDir: project,
        configFile: "examples/.dstack.yml",
      }),
    ).not.toThrow();
    await expect(
      createCodeUpload({
        spec: spec("files: [../nope.txt]\n"),
        repoDir: project,
        configFile: "examples/.dstack.yml",
      }),
    ).rejects.toMatchObject({
      code: "missing-path",
      message: expect.stringMatching(/^files: \.\.\/nope\.txt does not exist/) as unknown,
    });
    await expect(
      createCodeUpload({
        spec: spec("repos: [../lib/util.py]\n"),
        repoDir: project,
        configFile: "examples/.dstack.yml",
      }),
    ).rejects.toMatchObject({
      code: "missing-path",
      message: expect.stringContaining("is not a folder") as unknown,
    });
    await expect(
      createCodeUpload({
        spec: spec(`repos: ["file://${root}/no-such-repo"]\n`),
        repoDir: project,
        configFile: "x.yml",
      }),
    ).rejects.toMatchObject({
      code: "repo-clone",
      message: expect.stringContaining("cannot clone") as unknown,
    });
  });
});
