// The repository files that build commands read, found by reading the commands (never by running them):
// each simple command, past leading assignments and wrappers (sudo, env, time, ...), goes through the
// per-program rules of program-reads.ts; `cd` moves the working directory for the commands after it (the
// build runs the commands as one script, as dstack does). A path is kept when it resolves inside the
// repository's folder in the container; paths the shell would expand, paths outside the repository and
// paths after a `cd` we cannot follow are reported as not hashed, with the reason.
import { posix } from "node:path";
import { programReads, type Read } from "./program-reads.js";
import { simpleCommands, type SimpleCommand, type Word } from "./shell-words.js";

export interface FileRead {
  /** Relative to the repository's root, `/`-separated; "." is the repository itself. */
  path: string;
  /** Why it is hashed, e.g. `pip install -r, build command 2`; several reasons joined with "; ". */
  why: string;
  /** A pip requirements file: its own `-r`/`-c` lines name more files to hash. */
  requirements: boolean;
}

export interface PathNotHashed {
  path: string;
  why: string;
}

export interface FilesRead {
  files: FileRead[];
  notHashed: PathNotHashed[];
}

export interface CommandPlace {
  /** Where the repository is in the build container. */
  repoDir: string;
  /** Where the commands start (the run's working directory). */
  workingDir: string;
}

const RESERVED = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "}",
  "time",
  "exec",
]);
// Programs that run the rest of their words as a command, with their options that take a value.
const WRAPPERS: Record<string, string[]> = {
  sudo: ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U"],
  env: ["-u", "-C", "-S"],
  nice: ["-n"],
  nohup: [],
  command: [],
  stdbuf: ["-i", "-o", "-e"],
};
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function filesReadBy(commands: readonly string[], place: CommandPlace): FilesRead {
  const files = new Map<string, { whys: string[]; requirements: boolean }>();
  const notHashed: PathNotHashed[] = [];
  // null: a `cd` we cannot follow (a variable, `cd` alone, `cd -`); relative paths are then unknown.
  let cwd: string | null = place.workingDir;

  const keep = (path: string, why: string, requirements: boolean): void => {
    const entry = files.get(path) ?? { whys: [], requirements: false };
    if (!entry.whys.includes(why)) entry.whys.push(why);
    entry.requirements ||= requirements;
    files.set(path, entry);
  };

  const visitScript = (script: string, where: string): void => {
    for (const command of simpleCommands(script)) visit(program(command), where);
  };

  const visit = (words: Word[], where: string): void => {
    if (words.length === 0) return;
    if (words[0]!.text === "cd") {
      cwd = changeDirectory(cwd, words[1]);
      return;
    }
    for (const read of programReads(words)) {
      if (read.kind === "script") {
        visitScript(read.text, where);
        continue;
      }
      const why = `${read.why}, ${where}`;
      const resolved = resolve(read, cwd, place.repoDir);
      if ("path" in resolved) keep(resolved.path, why, read.kind === "path" && read.requirements === true);
      else notHashed.push({ path: shown(read), why: `${resolved.not} (${why})` });
    }
  };

  commands.forEach((command, i) => visitScript(command, `build command ${i + 1}`));
  return {
    files: [...files].map(([path, e]) => ({ path, why: e.whys.join("; "), requirements: e.requirements })),
    notHashed,
  };
}

/** The words from the program on: leading assignments, reserved words and wrappers (with their options) go. */
function program(command: SimpleCommand): Word[] {
  let i = 0;
  while (i < command.length) {
    const t = command[i]!.text;
    if (RESERVED.has(t) || ASSIGNMENT.test(t)) i++;
    else if (Object.hasOwn(WRAPPERS, t)) {
      const takesValue = WRAPPERS[t]!;
      i++;
      while (i < command.length && (command[i]!.text.startsWith("-") || ASSIGNMENT.test(command[i]!.text)))
        i += takesValue.includes(command[i]!.text) ? 2 : 1;
    } else break;
  }
  return command.slice(i);
}

function changeDirectory(cwd: string | null, target: Word | undefined): string | null {
  if (target === undefined || target.expands || target.text === "-") return null;
  if (posix.isAbsolute(target.text)) return posix.normalize(target.text);
  return cwd === null ? null : posix.join(cwd, target.text);
}

const shown = (read: Exclude<Read, { kind: "script" }>): string =>
  read.kind === "path" ? read.word.text : read.path;

function resolve(
  read: Exclude<Read, { kind: "script" }>,
  cwd: string | null,
  repoDir: string,
): { path: string } | { not: string } {
  const text = read.kind === "path" ? read.word.text : read.path;
  if (read.kind === "path" && read.word.expands)
    return { not: "the shell expands it, so its file is unknown" };
  if (!posix.isAbsolute(text) && cwd === null)
    return { not: "after a `cd` to a place not known before the build" };
  const absolute = posix.isAbsolute(text) ? posix.normalize(text) : posix.join(cwd!, text);
  const relative = posix.relative(posix.normalize(repoDir), absolute);
  if (relative.startsWith("..") || posix.isAbsolute(relative)) return { not: "outside the repository" };
  return { path: relative === "" ? "." : relative };
}

/**
 * The files a pip requirements file names itself (`-r other.txt`, `--constraint c.txt`), relative to
 * that file's folder, as pip resolves them; URLs are left out.
 */
export function requirementIncludes(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    const m = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)$/.exec(line);
    if (m !== null && !/^[a-z+]+:\/\//i.test(m[1]!)) out.push(m[1]!);
  }
  return out;
}
