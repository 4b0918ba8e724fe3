// The CLI's IoHost: renders the toolkit's messages on the terminal as dstack always printed them
// (progress on stderr, run logs on stdout), or with DSTACK_PROGRESS=json as one JSON object per line on
// stderr ({time, level, code, text, data}). With --json, stdout keeps only the command's machine
// document: run logs then go to stderr too. -y answers every question; otherwise the terminal is asked.
import type { IoHost, IoMessage } from "../src/toolkit/io-host.js";
import type { Output } from "./output.js";
import { confirm } from "./prompt.js";

export type ProgressFormat = "text" | "json";

export interface CliIoOptions {
  /** The command prints a machine document on stdout (--json). */
  json: boolean;
  progress: ProgressFormat;
  /** -y: every question is answered yes. */
  yes: boolean;
  signal: AbortSignal;
  /** Background processes (their stderr is a log file) stamp each line with the time. */
  timestamps: boolean;
  /** DSTACK_DEBUG: also show debug messages as text. */
  debug: boolean;
  now?: () => Date;
  /** How to ask (default: the terminal, see prompt.ts). */
  ask?: (question: string, signal: AbortSignal) => Promise<boolean>;
}

/** DSTACK_PROGRESS=json selects JSON lines; anything else, text. */
export function progressFormat(env: Readonly<Record<string, string | undefined>>): ProgressFormat {
  return env.DSTACK_PROGRESS === "json" ? "json" : "text";
}

/** The offers table, the infrastructure diff and its cost: `${text}\n` (a blank line after each). */
const SPACED = new Set<string>(["plan.offers", "plan.diff", "plan.cost"]);

function renderText(out: Output, o: CliIoOptions, m: IoMessage): void {
  if (m.code === "run.log") return out.write(m.text, o.json ? "stderr" : "stdout");
  // A build's output is progress: stderr, so that stdout keeps what `dstack build` prints at the end.
  if (m.code === "build.log") return out.write(m.text, "stderr");
  if (m.level === "result") return o.json ? out.error(m.text) : out.print(m.text);
  if (m.level === "debug" && !o.debug) return;
  const stamped = o.timestamps ? `${(o.now?.() ?? new Date()).toISOString()} ${m.text}` : m.text;
  out.error(SPACED.has(m.code) && m.level === "info" ? `${stamped}\n` : stamped);
}

/** One message as one JSON line on stderr. */
export function renderJson(out: Output, o: Pick<CliIoOptions, "now">, m: IoMessage): void {
  const line = {
    time: (o.now?.() ?? new Date()).toISOString(),
    level: m.level,
    code: m.code,
    text: m.text,
    ...(m.data === undefined ? {} : { data: m.data }),
  };
  out.write(`${JSON.stringify(line)}\n`, "stderr");
}

export function createCliIoHost(out: Output, o: CliIoOptions): IoHost {
  return {
    notify: (message) => (o.progress === "json" ? renderJson : renderText)(out, o, message),
    confirm: (question) => (o.yes ? Promise.resolve(true) : (o.ask ?? askTerminal)(question, o.signal)),
  };
}

const askTerminal = (question: string, signal: AbortSignal): Promise<boolean> =>
  confirm(question, false, signal);
