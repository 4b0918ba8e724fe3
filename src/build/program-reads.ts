// Which files one program invocation of a build command reads, by the program's own rules: the
// requirement files of pip and uv, conda's environment files, the manifests and lock files of uv sync,
// poetry and npm/yarn/pnpm, scripts run by a shell or Python or sourced, the sources of `cp`, and a
// program that is itself a path (./setup.sh). Anything else reads nothing we know of.
import type { Word } from "./shell-words.js";

export type Read =
  /** A path written in the command; `requirements`: a pip requirements file (its own -r/-c lines count). */
  | { kind: "path"; word: Word; why: string; requirements?: boolean }
  /** A file the tool reads from its working directory without being told (pyproject.toml for uv sync). */
  | { kind: "implied"; path: string; why: string }
  /** A command string a shell runs (`bash -c "..."`): read by the same rules. */
  | { kind: "script"; text: string };

/** `words[0]` is the program (leading assignments, sudo, env... already removed). */
export function programReads(words: Word[]): Read[] {
  const program = basename(words[0]?.text ?? "");
  const args = words.slice(1);
  const sub = args[0]?.text;
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) return pipReads(args, program);
  if (/^python(\d+(\.\d+)?)?$/.test(program)) return pythonReads(args, program);
  if (program === "uv" && sub === "pip") return uvPipReads(args.slice(1));
  if (program === "uv" && sub === "sync") return implied(["pyproject.toml", "uv.lock"], "uv sync");
  if (program === "poetry" && sub === "install")
    return implied(["pyproject.toml", "poetry.lock"], "poetry install");
  if (program === "npm" && (sub === "ci" || sub === "install" || sub === "i"))
    return implied(["package.json", "package-lock.json"], `npm ${sub}`);
  if (program === "yarn" && (sub === undefined || sub === "install"))
    return implied(["package.json", "yarn.lock"], sub === undefined ? "yarn" : "yarn install");
  if (program === "pnpm" && (sub === "install" || sub === "i"))
    return implied(["package.json", "pnpm-lock.yaml"], `pnpm ${sub}`);
  if (program === "conda" || program === "mamba" || program === "micromamba")
    return condaReads(args, program);
  if (program === "source" || program === ".")
    return args[0] === undefined ? [] : [{ kind: "path", word: args[0], why: `${program} (sourced)` }];
  if (["bash", "sh", "dash", "zsh"].includes(program)) return shellReads(args, program);
  if (program === "cp") return cpReads(args);
  if (words[0] !== undefined && words[0].text.includes("/"))
    return [{ kind: "path", word: words[0], why: "run as a program" }];
  return [];
}

const basename = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

const implied = (paths: string[], why: string): Read[] =>
  paths.map((path) => ({ kind: "implied", path, why: `${why} reads it` }));

/** `-r FILE`, `--requirement FILE`, `--requirement=FILE`, `-rFILE`, and the same for -c/--constraint. */
function requirementOptions(args: Word[], tool: string): Read[] {
  const reads: Read[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const m = /^(-r|--requirement|-c|--constraint)(=?)(.*)$/.exec(w.text);
    if (m === null) continue;
    const [, flag, eq, rest] = m as unknown as [string, string, string, string];
    // "-rfoo" and "--requirement=foo" carry the value; "-r foo" and "--requirement foo" take the next word.
    if (flag.startsWith("--") && eq === "" && rest !== "") continue; // e.g. --requirements-foo: not ours
    const inline = eq !== "" || rest !== "" ? { text: rest, expands: w.expands } : undefined;
    const value = inline ?? args[++i];
    if (value === undefined || value.text === "") continue;
    const short = flag === "--requirement" ? "-r" : flag === "--constraint" ? "-c" : flag;
    reads.push({ kind: "path", word: value, why: `${tool} ${short}`, requirements: true });
  }
  return reads;
}

function pipReads(args: Word[], program: string): Read[] {
  const sub = args.find((w) => !w.text.startsWith("-"))?.text ?? "";
  return requirementOptions(args, `${program} ${sub}`.trim());
}

function pythonReads(args: Word[], program: string): Read[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.text;
    if (a === "-m")
      return args[i + 1]?.text === "pip" ? pipReads(args.slice(i + 2), `${program} -m pip`) : [];
    if (a === "-c" || a === "-" || a === "--") return [];
    if (a === "-W" || a === "-X") i++;
    else if (!a.startsWith("-")) return [{ kind: "path", word: args[i]!, why: `${program} (script)` }];
  }
  return [];
}

// Options of `uv pip sync` that take a value, so that the value is not taken for a requirements file.
const UV_VALUE_OPTIONS = new Set([
  "-p",
  "--python",
  "-i",
  "--index-url",
  "--extra-index-url",
  "--index",
  "--default-index",
  "-f",
  "--find-links",
  "--target",
  "--prefix",
  "--python-version",
  "--python-platform",
  "--index-strategy",
  "--keyring-provider",
  "--config-file",
  "--cache-dir",
  "--directory",
  "--project",
]);

function uvPipReads(args: Word[]): Read[] {
  const sub = args[0]?.text;
  const reads = requirementOptions(args.slice(1), `uv pip ${sub ?? ""}`.trim());
  if (sub !== "sync") return reads;
  const rest = args.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!.text;
    if (a === "-r" || a === "-c" || a === "--requirement" || a === "--constraint" || UV_VALUE_OPTIONS.has(a))
      i++;
    else if (!a.startsWith("-"))
      reads.push({ kind: "path", word: rest[i]!, why: "uv pip sync", requirements: true });
  }
  return reads;
}

function condaReads(args: Word[], program: string): Read[] {
  const envCommand = args[0]?.text === "env";
  const sub = envCommand ? `env ${args[1]?.text ?? ""}` : (args[0]?.text ?? "");
  // `-f` is --file in `conda env ...` and in micromamba; in plain `conda install` it once meant --force.
  const shortIsFile = envCommand || program === "micromamba";
  const reads: Read[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const inline = /^--file=(.+)$/.exec(a.text);
    if (inline !== null)
      reads.push({
        kind: "path",
        word: { text: inline[1]!, expands: a.expands },
        why: `${program} ${sub} --file`,
      });
    else if (a.text === "--file" || (shortIsFile && a.text === "-f")) {
      const value = args[++i];
      if (value !== undefined) reads.push({ kind: "path", word: value, why: `${program} ${sub} ${a.text}` });
    }
  }
  // `conda env create` without a file reads environment.yml from the working directory.
  if (reads.length === 0 && envCommand && args[1]?.text === "create")
    return implied(["environment.yml"], `${program} env create (its default file)`);
  return reads;
}

function shellReads(args: Word[], program: string): Read[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.text;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
      const script = args[i + 1];
      return script === undefined || script.expands ? [] : [{ kind: "script", text: script.text }];
    }
    if (a === "-s" || a === "--") return [];
    if (a === "-o" || a === "-O" || a === "+o" || a === "+O" || a === "--rcfile" || a === "--init-file") i++;
    else if (!a.startsWith("-") && !a.startsWith("+"))
      return [{ kind: "path", word: args[i]!, why: `${program} (script)` }];
  }
  return [];
}

function cpReads(args: Word[]): Read[] {
  const operands: Word[] = [];
  let targetGiven = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.text;
    if (a === "-t" || a === "--target-directory") {
      targetGiven = true;
      i++;
    } else if (a.startsWith("--target-directory=")) targetGiven = true;
    else if (a === "-S" || a === "--suffix") i++;
    else if (!a.startsWith("-")) operands.push(args[i]!);
  }
  const sources = targetGiven ? operands : operands.slice(0, -1);
  return sources.map((word) => ({ kind: "path", word, why: "cp (source)" }));
}
