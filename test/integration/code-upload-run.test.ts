// `repos` and `files` in `dstack apply` end to end on the local backend (issue 12, section 1): a task
// whose configuration sits in a subfolder takes a repo from a sibling folder at an absolute container
// path, a folder of files under its working directory, and a key from the user's home into the
// container user's home; its commands see each of them where dstack would put them. A missing path
// fails before anything is created.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, beforeAll } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { localImages, requireDockerImages } from "./docker.js";
import { requirePulumi } from "./pulumi-path.js";

const root = mkdtempSync(join(tmpdir(), "dstack-code-upload-"));
const home = join(root, "home");
const project = join(root, "project");
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
  NO_COLOR: "1",
  DSTACK_REAPER_INTERVAL_MS: "1000",
};

function cli(args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: project,
    env,
    encoding: "utf8",
    timeout: 300_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const TASK = `type: task
name: code-upload
repos:
  - ../../library:/opt/library
files:
  - ../data:inputs
  - ~/.config/creds.txt
commands:
  - cat /opt/library/lib.py
  - cat inputs/sample.csv
  - cat ~/.config/creds.txt
  - test ! -e /workflow/.dstack-outside && test ! -e /workflow/.dstack-home && echo relocated
  - printf 'arg:%s\\n' \${{ run.args }}
idle_duration: 0s
`;

describe("repos and files in apply (local backend)", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
    mkdirSync(join(home, ".config"), { recursive: true });
    writeFileSync(join(home, ".config", "creds.txt"), "creds-from-home\n");
    mkdirSync(join(root, "library"));
    writeFileSync(join(root, "library", "lib.py"), "LIBRARY = 'from the repo'\n");
    execFileSync("git", ["init", "-q"], { cwd: join(root, "library") });
    mkdirSync(join(project, "config"), { recursive: true });
    mkdirSync(join(project, "data"));
    writeFileSync(join(project, "data", "sample.csv"), "a,b\n1,2\n");
    writeFileSync(join(project, "config", "task.dstack.yml"), TASK);
    writeFileSync(
      join(project, "config", "missing.dstack.yml"),
      "type: task\nname: missing\nfiles: [../nope.txt]\ncommands: [hostname]\n",
    );
  });

  it("puts the repo, the folder and the home file where dstack would, before the commands run", () => {
    // Run arguments after `--` are the commands' ${{ run.args }}, shell-quoted as dstack does.
    const r = cli(["apply", "-f", "config/task.dstack.yml", "-y", "--", "two words", "--epochs=3"]);
    expect(r.out).toContain("LIBRARY = 'from the repo'");
    expect(r.out).toContain("a,b\n1,2");
    expect(r.out).toContain("creds-from-home");
    expect(r.out).toContain("relocated");
    // Each argument is one word to the shell: "two words" stays whole.
    expect(r.out).toContain("arg:two words\narg:--epochs=3\n");
    expect(r.code, r.out).toBe(0);
  }, 300_000);

  it("run arguments for a dev environment are a usage error", () => {
    writeFileSync(
      join(project, "config", "dev.dstack.yml"),
      "type: dev-environment\nname: dev-args\nide: vscode\n",
    );
    const r = cli(["apply", "-f", "config/dev.dstack.yml", "-y", "--", "x"]);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain("run arguments (x) are for tasks and services");
  });

  it("a missing local path is refused with the entry and the resolved path", () => {
    const r = cli(["apply", "-f", "config/missing.dstack.yml", "-y"]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`files: ../nope.txt does not exist (${join(project, "nope.txt")})`);
  }, 300_000);
});
