// Which `${{ ... }}` expressions each field may hold, as in dstack 0.22, and what becomes of them:
// - commands (tasks, node groups): ${{ run.args }} (the run's arguments, resolved now), ${{ groups[i].
//   nodes[j].IP_ADDRESS }} (with groups; resolved once nodes exist), ${{ secrets.NAME }} (dstack leaves it
//   as written in commands: secrets are interpolated in env and registry_auth only).
// - env values: ${{ secrets.NAME }} (server-side in dstack; this project has no secrets store).
// - registry_auth: ${{ env.NAME }} (resolved now from env) and ${{ secrets.NAME }}.
// - volume names: ${{ dstack.node_rank }} and ${{ dstack.job_num }} (per node, resolved in job-spec.ts).
// dev environments' `init` is not interpolated by dstack, so it is left alone here too. Anything else,
// `${{ run.name }}` included, is unknown to dstack and an error, with the variable to use instead.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { interpolate, isPlainName, type InterpolationScope } from "../grammar/interpolation.js";

const GROUPS_IP = /^groups\[(\d+)\]\.nodes\[(\d+)\]\.IP_ADDRESS$/;
const SAFE_ARG = /^[\w@%+=:,./-]+$/;

/** The names volume names may use, each with the value of node 0. */
export const VOLUME_SCOPE: InterpolationScope = {
  values: { "dstack.node_rank": "0", "dstack.job_num": "0" },
};

/** dstack passes `dstack apply ... -- ARGS` to commands as shlex.join(ARGS). */
export function joinRunArgs(args: readonly string[]): string {
  return args
    .map((a) => (a === "" ? "''" : SAFE_ARG.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`))
    .join(" ");
}

export function commandsScope(runArgs: string): InterpolationScope {
  return {
    values: { "run.args": runArgs },
    deferred: { secrets: isPlainName, groups: (name) => GROUPS_IP.test(name) },
  };
}

export const ENV_SCOPE: InterpolationScope = { values: {}, deferred: { secrets: isPlainName } };

export function registryAuthScope(env: Readonly<Record<string, string>>): InterpolationScope {
  const values = Object.fromEntries(Object.entries(env).map(([k, v]) => [`env.${k}`, v]));
  return { values, deferred: { secrets: isPlainName } };
}

/** Instead of a name dstack does not know: the variable that carries it. */
const INSTEAD: Record<string, string> = {
  "run.name": "$DSTACK_RUN_NAME",
  "run.id": "$DSTACK_RUN_ID",
  "dstack.node_rank": "$DSTACK_NODE_RANK",
  "dstack.job_num": "$DSTACK_NODE_RANK",
  "dstack.nodes_num": "$DSTACK_NODES_NUM",
  "dstack.master_node_ip": "$DSTACK_MASTER_NODE_IP",
};

export interface FieldRules {
  /** What the field may hold, for the message. */
  allowed: string;
  /** Node-group sizes when the task has groups (bounds of ${{ groups[i].nodes[j].IP_ADDRESS }}). */
  groups?: readonly number[] | null;
  /** How a kept ${{ secrets.NAME }} is reported. */
  secrets?: "warn-commands" | "warn-no-store";
  /** The text is a secret (a registry password): never quote it in a message. */
  secret?: boolean;
  /** Shell text (commands): suggest the variable that carries an unknown name. */
  shell?: boolean;
}

/** The text with known expressions resolved (or undefined when it has an error, then reported). */
export function interpolateField(
  text: string,
  scope: InterpolationScope,
  bag: DiagnosticBag,
  path: Path,
  rules: FieldRules,
): string | undefined {
  const read = interpolate(text, scope);
  if (!read.ok) {
    const message =
      rules.secret === true ? "the value has a malformed ${{ ... }} (not shown: it is secret)" : read.message;
    bag.error({ code: "invalid-value", path, message, hint: read.hint });
    return undefined;
  }
  if (rules.secret === true && read.value.missing.length > 0) {
    bag.error({
      code: "unknown-expression",
      path,
      message: `the value has \${{ ... }} expressions dstack does not know here (not shown: it is secret); ${rules.allowed}`,
      hint: "write $${{ for a literal ${{",
    });
    return undefined;
  }
  for (const name of read.value.missing) {
    const instead =
      rules.shell !== true
        ? undefined
        : (INSTEAD[name] ?? (name.startsWith("env.") ? `$${name.slice(4)}` : undefined));
    bag.error({
      code: "unknown-expression",
      path,
      message: `\${{ ${name} }} is not an expression dstack knows here; ${rules.allowed}`,
      hint: instead === undefined ? "write $${{ for a literal ${{" : `use ${instead} in the shell instead`,
    });
  }
  for (const name of read.value.deferred) reportDeferred(name, bag, path, rules);
  return read.value.missing.length > 0 ? undefined : read.value.text;
}

function reportDeferred(name: string, bag: DiagnosticBag, path: Path, rules: FieldRules): void {
  const ip = GROUPS_IP.exec(name);
  if (ip !== null) {
    const [group, node] = [Number(ip[1]), Number(ip[2])];
    const sizes = rules.groups ?? null;
    if (sizes === null)
      bag.error({
        code: "unknown-expression",
        path,
        message: `\${{ ${name} }} refers to node groups, and this task has none`,
        hint: "define groups:, or use $DSTACK_MASTER_NODE_IP and $DSTACK_NODES_IPS",
      });
    else if (group >= sizes.length || node >= sizes[group]!)
      bag.error({
        code: "invalid-value",
        path,
        message: `\${{ ${name} }} is out of range: ${sizes.length} group(s), of ${sizes.join(", ")} node(s)`,
        hint: "count groups and nodes from 0",
      });
    return;
  }
  if (rules.secrets === "warn-commands")
    bag.warning({
      code: "secret-in-commands",
      path,
      message: `\${{ ${name} }} stays as written: dstack interpolates secrets in env and registry_auth, not in commands`,
      hint: `set it in env (e.g. env: [TOKEN=\${{ ${name} }}]) and use $TOKEN`,
    });
  else
    bag.warning({
      code: "no-secrets",
      path,
      message: `\${{ ${name} }} needs dstack's secrets, which this project does not store; a run cannot start with it`,
      hint: "pass the value with -e NAME=VALUE, or take it from your environment (env: [NAME])",
    });
}
