import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRepoArchive, repoIdOf } from "../../../src/runs/repo.js";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-repo-"));
  temps.push(dir);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** Extract with the real tar and return every file as path -> content. */
function extract(archive: Buffer): Record<string, string> {
  const out = temp();
  execFileSync("tar", ["-xzf", "-", "-C", out], { input: archive });
  const files: Record<string, string> = {};
  const visit = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) visit(path);
      else files[relative(out, path)] = readFileSync(path, "utf8");
    }
  };
  visit(out);
  return files;
}

function gitRepo(): string {
  const dir = temp();
  git(dir, "init", "-q");
  write(dir, ".gitignore", "*.log\nbuild/\n");
  write(dir, "README.md", "committed\n");
  write(dir, "src/train.py", "print('v1')\n");
  write(dir, "gone.txt", "will be deleted\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
  return dir;
}

describe("createRepoArchive", () => {
  it("packs the working tree of a git repository as it is now", async () => {
    const dir = gitRepo();
    write(dir, "src/train.py", "print('uncommitted')\n");
    write(dir, "new file.txt", "untracked\n");
    write(dir, "debug.log", "ignored\n");
    write(dir, "build/out.bin", "ignored\n");
    unlinkSync(join(dir, "gone.txt"));

    const result = await createRepoArchive(dir);
    const files = extract(result.archive);
    expect(files).toEqual({
      ".gitignore": "*.log\nbuild/\n",
      "README.md": "committed\n",
      "src/train.py": "print('uncommitted')\n",
      "new file.txt": "untracked\n",
    });
    expect(result.files).toBe(4);
    expect(result.bytes).toBe(Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0));
  });

  it("packs only the subfolder when given one, with paths relative to it", async () => {
    const dir = gitRepo();
    const files = extract((await createRepoArchive(join(dir, "src"))).archive);
    expect(files).toEqual({ "train.py": "print('v1')\n" });
  });

  it("packs every file of a plain folder except .git", async () => {
    const dir = temp();
    write(dir, "a.txt", "a\n");
    write(dir, "deep/b.txt", "b\n");
    write(dir, ".git/config", "not a repo\n");
    const result = await createRepoArchive(dir);
    expect(extract(result.archive)).toEqual({ "a.txt": "a\n", "deep/b.txt": "b\n" });
    expect(result.files).toBe(2);
  });

  it("refuses a repository over the limit, naming the biggest files", async () => {
    const dir = temp();
    write(dir, "big.bin", "x".repeat(3000));
    write(dir, "small.txt", "y");
    await expect(createRepoArchive(dir, 2000)).rejects.toThrow(
      "the repository is 2.9 KB, over the 2.0 KB upload limit; biggest files: big.bin (2.9 KB), small.txt (0.0 KB)",
    );
  });
});

describe("repoIdOf", () => {
  it("hashes the origin URL, so every clone gets the same id", () => {
    const a = gitRepo();
    const b = gitRepo();
    for (const dir of [a, b]) git(dir, "remote", "add", "origin", "https://example.com/team/repo.git");
    expect(repoIdOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(repoIdOf(a)).toBe(repoIdOf(join(b, "src")));
  });

  it("falls back to the top-level folder, then to the folder itself", () => {
    const repo = gitRepo();
    expect(repoIdOf(join(repo, "src"))).toBe(repoIdOf(repo));
    const plain = temp();
    expect(repoIdOf(plain)).toMatch(/^[0-9a-f]{16}$/);
    expect(repoIdOf(plain)).not.toBe(repoIdOf(repo));
    expect(repoIdOf(plain)).toBe(repoIdOf(plain));
  });
});
