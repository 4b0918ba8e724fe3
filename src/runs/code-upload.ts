// What a run gets of the user's code: the repo (`repos`: a local folder or a Git URL; without `repos`,
// the folder `apply` runs in, as before repos existed) and the `files` entries, each at its container
// path, packed as one upload for PUT /api/runs/:name/repo. The agent extracts it into /workflow; what
// goes elsewhere travels under /workflow/.dstack-outside (absolute paths) or .dstack-home (`~/...`),
// which the container's start script moves into place before anything runs (script.ts). A Git URL is
// cloned here, on the user's machine, with the user's own Git credentials, which never leave it.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, posix, resolve } from "node:path";
import { promisify } from "node:util";
import type { FileMount, RepoMount } from "../compiler/grammar/code-mounts.js";
import { REPO_DIR } from "../compiler/normalize/run-fields.js";
import { UserError } from "../errors.js";
import {
  checkSize,
  DEFAULT_MAX_REPO_BYTES,
  listTree,
  repoIdOf,
  tar,
  type Entry,
  type RepoArchive,
} from "./repo.js";

const execFileAsync = promisify(execFile);

/** Archive prefixes of what goes outside /workflow; the start script moves them (see script.ts). */
export const OUTSIDE_DIR = ".dstack-outside";
export const HOME_DIR = ".dstack-home";

export interface CodeSpec {
  repos: readonly RepoMount[];
  files: readonly FileMount[];
  working_dir: string;
}

export interface CodeUploadInput {
  spec: CodeSpec;
  /** The folder `apply` runs in. */
  repoDir: string;
  /** The configuration file, as given (relative to repoDir or absolute): local paths are relative to its folder. */
  configFile: string;
  maxBytes?: number;
}

export type CodeUpload = RepoArchive & { repoId: string };

/** A container path as dstack resolves it: `~/...` kept, relative against the working directory. */
export function containerPath(path: string, workingDir: string): string {
  if (path === "~" || path.startsWith("~/")) return path;
  return posix.resolve(workingDir, path);
}

/** Where a container path sits in the upload (relative to /workflow, or under the relocation folders). */
export function uploadPlace(path: string): string {
  if (path === "~" || path.startsWith("~/")) return posix.join(HOME_DIR, path.slice(1));
  if (path === REPO_DIR) return "";
  if (path.startsWith(`${REPO_DIR}/`)) return path.slice(REPO_DIR.length + 1);
  return posix.join(OUTSIDE_DIR, path);
}

/** A local path as dstack resolves it: `~` is the user's home, relative against the configuration's folder. */
function localPath(path: string, configDir: string): string {
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(configDir, path);
}

interface Source {
  dir: string;
  entries: Entry[];
  /** GNU tar --transform expression placing the entries; undefined: at the root of /workflow. */
  transform?: string;
}

const escapePattern = (s: string): string => s.replace(/[\\|.^$*[\]]/g, (c) => `\\${c}`);
const escapeReplacement = (s: string): string => s.replace(/[\\|&]/g, (c) => `\\${c}`);

/** A sed expression that puts every name under `place`, or renames the one file `single` to it. */
function placeUnder(place: string, single?: string): string | undefined {
  if (single !== undefined) return `s|^${escapePattern(single)}$|${escapeReplacement(place)}|`;
  return place === "" ? undefined : `s|^|${escapeReplacement(place)}/|`;
}

async function cloneRepo(repo: RepoMount): Promise<string> {
  const url = repo.url ?? "";
  const dir = mkdtempSync(join(tmpdir(), "dstack-repo-"));
  const git = (args: string[], cwd?: string) =>
    execFileAsync("git", args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    });
  try {
    // A commit needs the history; a branch or the default head needs only its tip.
    const shallow = repo.hash === null ? ["--depth", "1"] : [];
    const branch = repo.branch === null ? [] : ["--branch", repo.branch];
    await git(["clone", "-q", ...shallow, ...branch, "--", url, dir]);
    if (repo.hash !== null) await git(["checkout", "-q", repo.hash], dir);
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why =
      error instanceof Error
        ? (error.message.split("\n").find((l) => l.startsWith("fatal:")) ?? error.message)
        : String(error);
    throw new UserError(
      "repo-clone",
      `repos: cannot clone ${url}${repo.branch === null ? "" : ` (branch ${repo.branch})`}${repo.hash === null ? "" : ` at ${repo.hash}`}: ${why}`,
      "check the URL and that `git clone` of it works on this machine (your Git credentials are used)",
    );
  }
}

function requireExisting(kind: "repos" | "files", written: string, path: string, folder: boolean): boolean {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UserError(
      "missing-path",
      `${kind}: ${written} does not exist (${path})`,
      "local paths are relative to the configuration's folder; fix the path or create it",
    );
  }
  if (folder && !isDir)
    throw new UserError(
      "missing-path",
      `${kind}: ${written} is not a folder (${path})`,
      "give the repository's folder",
    );
  return isDir;
}

/** Every local path of `repos` and `files` exists: checked before anything is created. */
export function checkLocalPaths(input: Omit<CodeUploadInput, "maxBytes">): void {
  const configDir = dirname(resolve(input.repoDir, input.configFile));
  for (const repo of input.spec.repos)
    if (repo.local_path !== null)
      requireExisting("repos", repo.local_path, localPath(repo.local_path, configDir), true);
  for (const file of input.spec.files)
    requireExisting("files", file.local_path, localPath(file.local_path, configDir), false);
}

export async function createCodeUpload(input: CodeUploadInput): Promise<CodeUpload> {
  const { spec } = input;
  const configDir = dirname(resolve(input.repoDir, input.configFile));
  const sources: Source[] = [];
  const cleanup: string[] = [];
  try {
    const [repo] = spec.repos;
    let repoRoot = resolve(input.repoDir);
    let repoPlace = "";
    if (repo !== undefined) {
      repoPlace = uploadPlace(containerPath(repo.path, spec.working_dir));
      if (repo.url !== null) {
        repoRoot = await cloneRepo(repo);
        cleanup.push(repoRoot);
      } else {
        const written = repo.local_path ?? ".";
        repoRoot = localPath(written, configDir);
        requireExisting("repos", written, repoRoot, true);
      }
    }
    sources.push({ dir: repoRoot, entries: await listTree(repoRoot), transform: placeUnder(repoPlace) });
    for (const file of spec.files) {
      const local = localPath(file.local_path, configDir);
      const place = uploadPlace(containerPath(file.path, spec.working_dir));
      if (requireExisting("files", file.local_path, local, false))
        sources.push({ dir: local, entries: await listTree(local), transform: placeUnder(place) });
      else {
        const size = statSync(local).size;
        sources.push({
          dir: dirname(local),
          entries: [{ path: basename(local), size }],
          transform: placeUnder(place, basename(local)),
        });
      }
    }
    const all = sources.flatMap((s) => s.entries);
    const bytes = all.reduce((sum, e) => sum + e.size, 0);
    checkSize(all, bytes, input.maxBytes ?? DEFAULT_MAX_REPO_BYTES);
    // One gzip member per source: concatenated, they are one gzip stream of concatenated tars, which
    // the agent extracts with --ignore-zeros.
    const parts = await Promise.all(
      sources.map((s) =>
        tar(
          s.dir,
          s.entries.map((e) => e.path),
          s.transform,
        ),
      ),
    );
    // A clone's id is its URL's (origin), as for any clone; a folder's is its own.
    return { archive: Buffer.concat(parts), files: all.length, bytes, repoId: repoIdOf(repoRoot) };
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}
