// The key of a prebuilt environment (issue 14): the image `dstack build` makes from a configuration's
// `build` commands is stored under this key, and `apply` starts from it only when the key matches.
//
// The rule: sha256 over a canonical JSON (keys sorted, no spaces) of everything that changes what the
// commands produce:
//   - the base image's digest (resolved by the caller: a tag can move, a digest cannot);
//   - the build commands, in order. dstack's own key left them out, so editing `build` silently reused a
//     stale image: here any edit to a command, even whitespace, makes a new key;
//   - the build-time environment: every name, and the value of those that are not secret. A secret
//     (`-e NAME=VALUE`, or a value taken from this machine's environment; see compiler/secret.ts) is keyed
//     by its name only: a secret must never be recoverable from a key, and rotating a token should not
//     force a rebuild;
//   - the platform (`linux/amd64`, `linux/arm64`) and the CUDA flavour (`none`, `12.1`, ...);
//   - the content of the repository files the commands read, found by reading the commands
//     (files-read.ts: `pip install -r FILE`, `uv sync`, `poetry install`, `npm ci`, `conda env create -f
//     FILE`, `bash FILE`, `source FILE`, `cp FILE ...`, and the files a requirements file includes).
//     A named file that does not exist is hashed as "missing", so creating it changes the key; a folder
//     (`cp -r dir ...`) is hashed as the tree of its files (without .git).
// The tag is the first 16 hex digits of the digest; `v` versions the rule itself, so changing the rule
// makes new keys rather than matching images built under the old one.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync, type Stats } from "node:fs";
import { join, posix } from "node:path";
import type { MaybeSecret } from "../compiler/secret.js";
import { Secret } from "../compiler/secret.js";
import { filesReadBy, requirementIncludes, type CommandPlace, type PathNotHashed } from "./files-read.js";

export const BUILD_KEY_VERSION = 1;

export interface BuildKeyInput {
  /** The base image's content digest, e.g. `sha256:3cad...` (the caller resolves the tag). */
  baseImageDigest: string;
  commands: readonly string[];
  env: Readonly<Record<string, MaybeSecret>>;
  /** e.g. `linux/amd64`. */
  platform: string;
  /** The CUDA flavour of the base, e.g. `12.1`, or `none`. */
  cuda: string;
  /** The repository's folder on this machine: the files the commands read are read from here. */
  repoDir: string;
  /** Where the repository and the commands are in the build container; default: both /workflow. */
  place?: CommandPlace;
}

export interface HashedFile {
  /** Relative to the repository, `/`-separated. */
  path: string;
  /** e.g. `pip install -r, build command 1`. */
  why: string;
  /** `sha256:<hex>` (a file), `tree:sha256:<hex>` (a folder), or `missing`. */
  hash: string;
}

export interface BuildKey {
  /** The image tag: the first 16 hex digits of the digest. */
  key: string;
  /** `sha256:<64 hex>` of `canonical`. */
  digest: string;
  hashedFiles: HashedFile[];
  /** Paths the commands name that could not be hashed, and why (outside the repository, `$VAR`, ...). */
  notHashed: PathNotHashed[];
  /** Names of the env variables whose values are secret, keyed by name only. */
  secretEnv: string[];
  /** The exact text hashed; holds no secret value. */
  canonical: string;
}

export const DEFAULT_PLACE: CommandPlace = { repoDir: "/workflow", workingDir: "/workflow" };

export function buildKey(input: BuildKeyInput): BuildKey {
  const found = filesReadBy(input.commands, input.place ?? DEFAULT_PLACE);
  const notHashed = [...found.notHashed];
  const hashedFiles: HashedFile[] = [];
  const queue = [...found.files];
  const seen = new Set(queue.map((f) => f.path));
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const hash = hashPath(input.repoDir, file.path);
    hashedFiles.push({ path: file.path, why: file.why, hash });
    if (!file.requirements || !hash.startsWith("sha256:")) continue;
    for (const include of requirementIncludes(readFileSync(join(input.repoDir, file.path), "utf8"))) {
      const why = `included by ${file.path}`;
      const path = posix.normalize(posix.join(posix.dirname(file.path), include));
      if (include.includes("$")) notHashed.push({ path: include, why: `pip expands it (${why})` });
      else if (posix.isAbsolute(include) || path.startsWith(".."))
        notHashed.push({ path: include, why: `outside the repository (${why})` });
      else if (!seen.has(path)) {
        seen.add(path);
        queue.push({ path, why, requirements: true });
      }
    }
  }

  const env: Record<string, string | { secret: true }> = {};
  const secretEnv: string[] = [];
  for (const [name, value] of Object.entries(input.env)) {
    if (value instanceof Secret) secretEnv.push(name);
    env[name] = value instanceof Secret ? { secret: true } : value;
  }
  const canonical = canonicalJson({
    v: BUILD_KEY_VERSION,
    base: input.baseImageDigest,
    platform: input.platform,
    cuda: input.cuda,
    commands: input.commands,
    env,
    files: Object.fromEntries(hashedFiles.map((f) => [f.path, f.hash])),
  });
  const hex = sha256(canonical);
  return {
    key: hex.slice(0, 16),
    digest: `sha256:${hex}`,
    hashedFiles,
    notHashed,
    secretEnv: secretEnv.sort(),
    canonical,
  };
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A file's content hash, a folder's tree hash (paths, exec bits, contents; .git left out), or `missing`. */
function hashPath(repoDir: string, path: string): string {
  // The named path itself is followed when it is a link (pip reads the file the link points to).
  const stat = statOrUndefined(join(repoDir, path));
  if (stat === undefined) return "missing";
  if (!stat.isDirectory()) return `sha256:${hashEntry(join(repoDir, path), stat)}`;
  const lines: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === ".git") continue;
      const full = join(dir, name);
      const entryStat = lstatSync(full);
      const entryRel = rel === "" ? name : `${rel}/${name}`;
      if (entryStat.isDirectory()) walk(full, entryRel);
      else lines.push(`${entryRel}\0${entryStat.mode & 0o111 ? "x" : "-"}${hashEntry(full, entryStat)}\n`);
    }
  };
  walk(join(repoDir, path), "");
  return `tree:sha256:${sha256(lines.join(""))}`;
}

/** A symbolic link is hashed by its target's text (what `cp -r` copies), a file by its bytes. */
function hashEntry(full: string, stat: Stats): string {
  if (stat.isSymbolicLink()) return sha256(`symlink:${readlinkSync(full)}`);
  if (!stat.isFile()) return sha256("special");
  return sha256(readFileSync(full));
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR")
      return undefined;
    throw e;
  }
}
