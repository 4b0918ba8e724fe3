// `repos` and `files` of a run: each entry parsed (see grammar/code-mounts.ts) with its own path in
// diagnostics. dstack supports one repo per run; so does this project, with the same message.
import type { DiagnosticBag } from "../diagnostics.js";
import { parseFileMount, parseRepoMount, type FileMount, type RepoMount } from "../grammar/code-mounts.js";
import { parseField } from "./field.js";

export function normalizeRepos(raw: unknown, bag: DiagnosticBag): RepoMount[] {
  if (!Array.isArray(raw)) return [];
  if (raw.length > 1)
    bag.error({
      code: "invalid-value",
      path: ["repos", 1],
      message: `${raw.length} repos are listed; a run takes one (as in dstack)`,
      hint: "keep one repo, and copy other folders in with `files`",
    });
  const parsed = parseField(bag, ["repos", 0], raw[0], parseRepoMount);
  return parsed === undefined ? [] : [parsed];
}

export function normalizeFiles(raw: unknown, bag: DiagnosticBag): FileMount[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item, i) => {
    const parsed = parseField(bag, ["files", i], item, parseFileMount);
    return parsed === undefined ? [] : [parsed];
  });
}
