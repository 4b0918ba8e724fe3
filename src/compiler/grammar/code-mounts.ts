// `repos` and `files`: what of the user's machine (or a Git URL) goes into the run's container, and
// where. The short forms are dstack's: `LOCAL[:PATH]` / `URL[:PATH]` for a repo (a URL is told from a
// path by `user@host:` or `scheme://`), `LOCAL[:PATH]` for a file or folder (without PATH, the
// container path is the local path as written). Local paths stay as written (the runs layer resolves
// them against the configuration's folder and the user's home); container paths are checked to be
// Unix paths.
import { fail, ok, type Parsed } from "./result.js";

export interface RepoMount {
  /** A folder on the user's machine, as written (relative to the configuration's folder). */
  local_path: string | null;
  url: string | null;
  branch: string | null;
  hash: string | null;
  /** Where in the container, as written: relative to the working directory, absolute, or `~/...`. */
  path: string;
  /** What to do when `path` exists and is not empty (dstack's `if_exists`). */
  if_exists: "error" | "skip";
}

export interface FileMount {
  local_path: string;
  path: string;
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** `C:\x` or `c:/x` split at its drive colon is one part again. */
function joinDrive(parts: string[]): string[] {
  const [first, second, ...rest] = parts;
  if (first !== undefined && second !== undefined && WINDOWS_DRIVE.test(`${first}:${second}`))
    return [`${first}:${second}`, ...rest];
  return parts;
}

function unixPath(path: string): Parsed<string> {
  if (path === "") return fail("the container path is empty", "write a path such as /data or data");
  if (WINDOWS_DRIVE.test(path))
    return fail(`"${path}" is a Windows path; the container path must be a Unix path`, "e.g. /data");
  return ok(path);
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export function parseRepoMount(raw: unknown): Parsed<RepoMount> {
  if (typeof raw === "string") return repoShort(raw);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return fail(
      "expected a path, a Git URL or {local_path | url, path, ...}",
      "e.g. `..` or `https://github.com/org/repo`",
    );
  const o = raw as Record<string, unknown>;
  const local = text(o.local_path);
  const url = text(o.url);
  if (local !== null && url !== null)
    return fail("local_path and url are mutually exclusive", "keep one of them");
  if (local === null && url === null)
    return fail(
      "either local_path or url must be given",
      "e.g. local_path: .. or url: https://github.com/org/repo",
    );
  const path = unixPath(text(o.path) ?? ".");
  if (!path.ok) return path;
  return ok({
    local_path: local,
    url,
    branch: text(o.branch),
    hash: text(o.hash),
    path: path.value,
    if_exists: o.if_exists === "skip" ? "skip" : "error",
  });
}

function repoShort(raw: string): Parsed<RepoMount> {
  let parts = raw.split(":");
  let isUrl = false;
  const [head, next] = parts;
  if (head !== undefined && next !== undefined && (head.includes("@") || next.startsWith("//"))) {
    parts = [`${head}:${next}`, ...parts.slice(2)];
    isUrl = true;
  } else parts = joinDrive(parts);
  if (parts.length > 2 || parts[0] === "")
    return fail(`"${raw}" is not a repo`, "write PATH, PATH:CONTAINER_PATH, URL or URL:CONTAINER_PATH");
  const path = unixPath(parts[1] ?? ".");
  if (!path.ok) return path;
  const source = parts[0] ?? "";
  return ok({
    local_path: isUrl ? null : source,
    url: isUrl ? source : null,
    branch: null,
    hash: null,
    path: path.value,
    if_exists: "error",
  });
}

export function parseFileMount(raw: unknown): Parsed<FileMount> {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    const local = text(o.local_path);
    const target = text(o.path);
    if (local === null || target === null)
      return fail(
        "both local_path and path are needed",
        "e.g. {local_path: ~/.ssh/id_rsa, path: /root/.ssh/id_rsa}",
      );
    const path = unixPath(target);
    return path.ok ? ok({ local_path: local, path: path.value }) : path;
  }
  if (typeof raw !== "string" || raw === "")
    return fail("expected LOCAL[:PATH] or {local_path, path}", "e.g. .:examples or ~/.ssh/id_rsa");
  const parts = joinDrive(raw.split(":"));
  if (parts.length > 2) return fail(`"${raw}" is not a file mapping`, "write LOCAL or LOCAL:PATH");
  const local = parts[0] ?? "";
  const path = unixPath(parts[1] ?? local);
  return path.ok ? ok({ local_path: local, path: path.value }) : path;
}
