// `dstack generate -f FILE -o DIR`: compile, pick the first offer of the attempt plan, write the project.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { usageError } from "../../src/errors.js";
import { generate } from "../../src/generate/generate.js";
import { networkSettings } from "../../src/generate/network-settings.js";
import { ensureClientKey } from "../../src/ssh/keys.js";
import type { CommandContext, Values } from "../command.js";
import { compileFromFlags } from "../compile-config.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function nameFlag(values: Values, flag: string, fallback: string): string {
  const value = values[flag];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !NAME.test(value))
    throw usageError(`--${flag} must be a name of letters, digits, ".", "_" or "-"`);
  return value;
}

function publicKeys(ctx: CommandContext, values: Values): string[] {
  const files = Array.isArray(values["ssh-public-key"]) ? values["ssh-public-key"].map(String) : [];
  if (files.length === 0) return [ensureClientKey(ctx.home).publicKey];
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(resolve(ctx.cwd, file), "utf8").trim();
    } catch {
      throw usageError(`cannot read the public key ${file}`, "give the path of an OpenSSH .pub file");
    }
    if (/PRIVATE KEY/.test(text))
      throw usageError(`${file} is a private key`, "pass the .pub file: private keys never go into stacks");
    return text;
  });
}

/** The command that regenerates the project: the flags given (long forms, -e values left out). */
function regenerateCommand(file: string, values: Values): string {
  const parts = ["dstack generate -f", file];
  for (const [key, value] of Object.entries(values)) {
    if (["file", "json", "check"].includes(key) || value === undefined || value === false) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      // -e values may be secrets: the stamp names the variable only (`-e NAME` reads it from the env).
      const shown = key === "env" ? String(v).split("=")[0] : String(v);
      parts.push(v === true ? `--${key}` : `--${key} ${shown}`);
    }
  }
  return parts.join(" ");
}

export function run(ctx: CommandContext, values: Values): Promise<number> {
  if (typeof values.output !== "string")
    throw usageError("missing -o DIR", "e.g. dstack generate -f gpu.dstack.yml -o infra/gpu");
  const { file, result } = compileFromFlags(ctx, values);
  if (result.spec === null) return Promise.resolve(1);
  const stack = nameFlag(values, "stack", "dev");
  const project = nameFlag(values, "project", "main");
  const regenerate = regenerateCommand(file, values);
  const generated = generate({
    spec: result.spec,
    configFile: file,
    outDir: values.output,
    cwd: ctx.cwd,
    home: ctx.home,
    stack,
    project,
    sshPublicKeys: result.spec.type === "volume" ? [] : publicKeys(ctx, values),
    network: networkSettings(ctx.home),
    regenerate,
    check: values.check === true,
  });
  if (values.json === true) {
    ctx.out.json({
      dir: generated.dir,
      files: Object.fromEntries(generated.files),
      pool: generated.pool,
    });
    return Promise.resolve(0);
  }
  const changed = [...generated.files].filter(([, s]) => s !== "unchanged");
  if (values.check === true) {
    if (changed.length === 0) return Promise.resolve(0);
    ctx.out.error(
      `${generated.dir} is out of date (${changed.map(([f, s]) => `${f}: ${s === "created" ? "missing" : "differs"}`).join(", ")}); regenerate: ${regenerate}`,
    );
    return Promise.resolve(1);
  }
  const pool = generated.pool;
  const where =
    generated.attempt === null
      ? pool.region
      : `${pool.region}${generated.attempt.zone === null ? "" : ` (${generated.attempt.zone})`}`;
  const lines = [
    `${pool.backend} ${pool.instances.length > 0 ? `pool ${pool.pool}: ${pool.instances.length} x ${pool.instances[0]?.instance_type}${pool.instances[0]?.spot === true ? " spot" : ""}` : `volume ${pool.pool}`} in ${where}`,
    changed.length === 0
      ? `${generated.dir}: up to date (${generated.files.size} files unchanged)`
      : `${generated.dir}: ${changed.map(([f, s]) => `${f} ${s}`).join(", ")}`,
    generated.files.has("registry/Pulumi.yaml")
      ? `Next: cd ${values.output} && npm install && (cd registry && pulumi stack init ${stack} && pulumi up) && pulumi stack init ${stack} && pulumi preview`
      : `Next: cd ${values.output} && npm install && pulumi stack init ${stack} && pulumi preview`,
  ];
  ctx.out.print(lines.join("\n"));
  return Promise.resolve(0);
}
