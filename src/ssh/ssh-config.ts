// ~/.dstack/ssh/config: per run, `Host <run>-host` (the instance's sshd) and `Host <run>` (the run's
// container sshd, reached through the instance), so plain `ssh <run>`, scp and IDEs work. It is included
// from ~/.ssh/config. Each run's block sits between markers, so an update or removal touches only it.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../home/atomic-file.js";
import { sshConfigFile } from "../home/paths.js";

export interface RunSshEntry {
  run: string;
  instanceHost: string;
  instancePort: number;
  /** Who logs in to the instance: root locally and on the clouds dstack's user data sets up. */
  instanceUser: string;
  runPort: number;
  /** Who logs in to the run's container. */
  user: string;
  identityFile: string;
}

/** In ~/.ssh/config: the tilde form, which ssh expands, so the line holds for any home. */
export const INCLUDE_LINE = `Include ${sshConfigFile("~")}`;
const HEADER = "# Written by dstack: one block per run, between its begin/end markers.\n";
// Run names are the agent's (^[a-z0-9][a-z0-9-]{0,62}$): safe as Host patterns and inside markers.
const RUN_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** A value on one line, quoted when it has spaces (OpenSSH reads "double quoted" arguments). */
function arg(value: string | number): string {
  const text = String(value);
  if (/[\r\n"]/.test(text)) throw new Error(`cannot write ${JSON.stringify(text)} into an SSH config`);
  return /\s/.test(text) ? `"${text}"` : text;
}

function markers(run: string): { begin: string; end: string } {
  if (!RUN_NAME.test(run)) throw new Error(`"${run}" is not a run name`);
  return { begin: `# dstack run ${run} begin`, end: `# dstack run ${run} end` };
}

function block(e: RunSshEntry): string {
  const { begin, end } = markers(e.run);
  // Hosts change with every instance: no host key is worth remembering, and a mismatch must not block.
  const common = [
    `  IdentityFile ${arg(e.identityFile)}`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking no",
    "  UserKnownHostsFile /dev/null",
    "  LogLevel ERROR",
  ];
  return [
    begin,
    `Host ${e.run}-host`,
    `  HostName ${arg(e.instanceHost)}`,
    `  Port ${arg(e.instancePort)}`,
    `  User ${arg(e.instanceUser)}`,
    ...common,
    `Host ${e.run}`,
    "  HostName 127.0.0.1",
    `  Port ${arg(e.runPort)}`,
    `  User ${arg(e.user)}`,
    `  ProxyJump ${e.run}-host`,
    ...common,
    "  ServerAliveInterval 30",
    end,
    "",
  ].join("\n");
}

/** The file without the run's block (and with its header). */
function without(text: string, run: string): string {
  const { begin, end } = markers(run);
  const lines = text.split("\n");
  const start = lines.indexOf(begin);
  const stop = lines.indexOf(end, start);
  if (start !== -1 && stop !== -1) lines.splice(start, stop - start + 1);
  const rest = lines.join("\n").replace(/\n{3,}/g, "\n\n");
  return rest.startsWith(HEADER) ? rest : HEADER + rest;
}

function update(home: string, change: (text: string) => string): void {
  const path = sshConfigFile(home);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const before = readText(path);
  const after = change(before);
  if (after !== before) writeFileAtomic(path, after, 0o600);
}

export function upsertRunSshEntry(home: string, entry: RunSshEntry): void {
  update(home, (text) => {
    const rest = without(text, entry.run).replace(/\n*$/, "\n");
    return `${rest}\n${block(entry)}`;
  });
}

export function removeRunSshEntry(home: string, run: string): void {
  if (!existsSync(sshConfigFile(home))) return;
  update(home, (text) => without(text, run).replace(/\n*$/, "\n"));
}

/** Is the Include already in force for every host, i.e. before the first Host or Match block? */
function hasTopLevelInclude(text: string): boolean {
  for (const raw of text.split("\n")) {
    const line = raw.trim().replace(/\s+/g, " ");
    if (/^(host|match)\b/i.test(line)) return false;
    if (line.toLowerCase() === INCLUDE_LINE.toLowerCase()) return true;
  }
  return false;
}

export function ensureSshInclude(home: string): void {
  const dir = join(home, ".ssh");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let path = join(dir, "config");
  let mode = 0o600;
  if (existsSync(path)) {
    // Dotfile managers symlink ~/.ssh/config: write through the link rather than replace it.
    path = realpathSync(path);
    mode = statSync(path).mode & 0o777;
  }
  const text = readText(path);
  if (hasTopLevelInclude(text)) return;
  // At the very top: an Include after a Host or Match line would apply to that block only.
  writeFileAtomic(path, `${INCLUDE_LINE}\n\n${text}`, mode);
}
