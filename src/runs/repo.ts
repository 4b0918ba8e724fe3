// The repository contents a run gets in /workflow: the working tree as it is now (uncommitted changes and
// new untracked files included, .gitignore'd files not), packed as a gzipped tar for PUT /api/runs/:name/repo.
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { lstat, readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const DEFAULT_MAX_REPO_BYTES = 200 * 1024 * 1024;

export interface RepoArchive {
  archive: Buffer;
  /** Files (and symlinks) packed. */
  files: number;
  /** Their total size on disk, before compression. */
  bytes: number;
}

// Ambient GIT_DIR & co. (set inside git hooks, for instance) would point git at another repository.
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"]) delete env[key];
  return env;
}

async function gitFiles(dir: string): Promise<string[] | null> {
  const opts = { cwd: dir, env: gitEnv(), maxBuffer: 256 * 1024 * 1024 };
  try {
    const inside = await execFileAsync("git", ["rev-parse", "--is-inside-work-tree"], opts);
    if (inside.stdout.trim() !== "true") return null;
  } catch {
    return null; // not a work tree, or no git at all: pack the folder as it is
  }
  // Run from `dir`, so paths are relative to it and limited to it when it is a subfolder of the repo.
  // A failure here is thrown, not papered over: walking instead would upload .gitignore'd files.
  const { stdout } = await execFileAsync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    opts,
  );
  return [...new Set(stdout.split("\0").filter((p) => p !== ""))];
}

// Outside git: every regular file, but no git metadata (a nested clone's .git included).
async function walk(dir: string, base = dir, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== ".git") await walk(path, base, out);
    } else if (entry.isFile()) out.push(relative(base, path));
  }
  return out;
}

export interface Entry {
  path: string;
  size: number;
}

/** Keep what exists on disk as a file or symlink: tracked files deleted in the working tree are listed
 * by `git ls-files --cached` but must not be packed, and submodules or nested repositories (listed as
 * folders) are not part of this repository's contents. */
async function existing(dir: string, paths: string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const path of paths) {
    const stat = await lstat(join(dir, path)).catch(() => null);
    if (stat !== null && (stat.isFile() || stat.isSymbolicLink())) entries.push({ path, size: stat.size });
  }
  return entries;
}

export function checkSize(entries: Entry[], bytes: number, maxBytes: number): void {
  if (bytes <= maxBytes) return;
  const mb = (n: number): string =>
    n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
  const biggest = [...entries]
    .sort((a, b) => b.size - a.size)
    .slice(0, 5)
    .map((e) => `${e.path} (${mb(e.size)})`);
  throw new Error(
    `the repository is ${mb(bytes)}, over the ${mb(maxBytes)} upload limit; biggest files: ` +
      `${biggest.join(", ")}. Add them to .gitignore, or run from a smaller folder`,
  );
}

/**
 * A gzipped tar of exactly the listed paths of `dir`; `transform` (GNU tar's sed expression) renames
 * them in the archive (symlink targets untouched).
 */
export function tar(dir: string, paths: string[], transform?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    // --null and --verbatim-files-from: names may contain newlines or start with "-";
    // --no-recursion: pack exactly the listed entries.
    const rename = transform === undefined ? [] : ["--transform", `flags=rh;${transform}`];
    const child = spawn(
      "tar",
      ["-czf", "-", ...rename, "--null", "--verbatim-files-from", "--no-recursion", "-T", "-"],
      {
        cwd: dir,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolvePromise(Buffer.concat(out))
        : reject(new Error(`tar failed with code ${code}: ${err.trim()}`)),
    );
    child.stdin.on("error", reject);
    child.stdin.end(paths.map((p) => `${p}\0`).join(""));
  });
}

/** What of a folder is uploaded: git's view of the work tree (.gitignore applied), else every file. */
export async function listTree(root: string): Promise<Entry[]> {
  const listed = (await gitFiles(root)) ?? (await walk(root));
  return existing(root, listed);
}

export async function createRepoArchive(
  dir: string,
  maxBytes: number = DEFAULT_MAX_REPO_BYTES,
): Promise<RepoArchive> {
  const root = resolve(dir);
  const entries = await listTree(root);
  const bytes = entries.reduce((sum, e) => sum + e.size, 0);
  checkSize(entries, bytes, maxBytes);
  const archive = await tar(
    root,
    entries.map((e) => e.path),
  );
  return { archive, files: entries.length, bytes };
}

function gitOutput(dir: string, args: string[]): string | null {
  try {
    const out = execFileSync("git", args, { cwd: dir, env: gitEnv(), stdio: ["ignore", "pipe", "ignore"] });
    const text = out.toString("utf8").trim();
    return text === "" ? null : text;
  } catch {
    return null;
  }
}

/** A stable id for the repository: the same clone anywhere (by its origin URL), else the same folder. */
export function repoIdOf(dir: string): string {
  const root = resolve(dir);
  const top = gitOutput(root, ["rev-parse", "--show-toplevel"]);
  const key =
    (top !== null ? gitOutput(root, ["config", "--get", "remote.origin.url"]) : null) ?? top ?? root;
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
