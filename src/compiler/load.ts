// The compiler's file edge: read a configuration and the profiles files it may use.
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { userProfilesFile } from "../home/paths.js";
import { compile, type CompileInput, type CompileResult } from "./compile.js";
import type { ProfileFile } from "./profiles.js";

const PROFILES = join(".dstack", "profiles.yml");

/**
 * The project's profiles file is the nearest `.dstack/profiles.yml` from the configuration's folder up
 * to the repository root (the folder holding `.git`); the user's is `~/.dstack/profiles.yml`.
 */
export function findProfileFiles(configPath: string, home: string = homedir()): string[] {
  const found: string[] = [];
  let dir = dirname(resolve(configPath));
  for (;;) {
    const candidate = join(dir, PROFILES);
    if (existsSync(candidate)) {
      found.push(candidate);
      break;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, ".git")) || parent === dir) break;
    dir = parent;
  }
  const user = userProfilesFile(home);
  if (existsSync(user) && !found.includes(user)) found.push(user);
  return found;
}

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Read a file for the compiler, turning OS errors into one readable line. */
export function readConfigText(path: string): string {
  try {
    if (statSync(path).isDirectory())
      throw new ConfigFileError(
        path,
        `${path} is a directory; pass a configuration file such as ${join(path, ".dstack.yml")}`,
      );
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new ConfigFileError(path, `cannot read ${path}: ${reason}`);
  }
}

export type CompileFileOptions = Omit<CompileInput, "file" | "text" | "profiles"> & {
  home?: string;
  cwd?: string;
};

export function compileFile(path: string, options: CompileFileOptions = {}): CompileResult {
  const cwd = options.cwd ?? process.cwd();
  const text = readConfigText(resolve(cwd, path));
  const profiles: ProfileFile[] =
    options.noProfile === true
      ? []
      : findProfileFiles(resolve(cwd, path), options.home).map((file) => ({
          file: display(file, cwd),
          text: readConfigText(file),
        }));
  return compile({ ...options, file: path, text, profiles });
}

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") ? file : rel;
}
