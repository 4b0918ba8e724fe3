// Entry point: pick the command, parse its flags, run it, and turn every failure into a message and an
// exit code. No stack trace reaches the user; an unexpected error is reported as a bug.
import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { UserError, usageError } from "../src/errors.js";
import { closest } from "../src/compiler/suggest.js";
import { EngineError, failureMessages } from "../src/engine/errors.js";
import { failureHint } from "../src/planner/classify-failure.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { commandHelp, mainHelp, VERSION } from "./help.js";
import { createCliIoHost, progressFormat, renderJson } from "./io-host.js";
import { createOutput, type Output } from "./output.js";
import { COMMANDS } from "./registry.js";

export const EXIT_INTERNAL = 70;

export async function main(
  argv: readonly string[],
  out: Output,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    out.print(topic === undefined ? mainHelp(COMMANDS) : commandHelp(topic));
    return 0;
  }
  if (name === "-v" || name === "--version" || name === "version") {
    out.print(`dstack ${VERSION}`);
    return 0;
  }
  const controller = new AbortController();
  // Ctrl-C cancels through the AbortSignal (Pulumi finishes in-flight operations, so nothing it created
  // goes untracked); a second one forces the exit. Listeners stay registered (`on`, not `once`): libraries
  // such as execa re-raise a signal when they see no other listener, which would kill us mid-cleanup.
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    out.error("Cancelling... (press Ctrl-C again to force)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      const near = closest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw usageError(
        `unknown command "${name}"`,
        near === undefined ? "run dstack --help to list commands" : `did you mean "dstack ${near}"?`,
      );
    }
    if (rest.includes("-h") || rest.includes("--help")) {
      out.print(commandHelp(command));
      return 0;
    }
    const { values, positionals } = parseFlags(command, rest);
    const io = createCliIoHost(out, {
      json: values.json === true,
      progress: progressFormat(env),
      yes: values.yes === true,
      signal: controller.signal,
      timestamps: command.background === true,
      debug: env.DSTACK_DEBUG !== undefined,
    });
    const ctx: CommandContext = {
      out,
      io,
      cwd: process.cwd(),
      env,
      home: env.HOME ?? homedir(),
      signal: controller.signal,
    };
    const module = await command.load();
    return await module.run(ctx, values, positionals);
  } catch (error) {
    return report(error, out, env);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function parseFlags(command: CommandSpec, args: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({
      args,
      options: command.options,
      allowPositionals: command.positionals === true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    const known = Object.keys(command.options).map((o) => `--${o}`);
    const near = flag === undefined ? undefined : closest(flag, known);
    const text = message.charAt(0).toLowerCase() + message.slice(1);
    throw usageError(
      text.replace(/\. To specify a positional argument.*$/, ""),
      near !== undefined ? `did you mean ${near}?` : `see dstack ${command.name} --help`,
    );
  }
}

function report(error: unknown, out: Output, env: Readonly<Record<string, string | undefined>>): number {
  const user = error instanceof UserError ? error : undefined;
  // A failed engine operation's hint comes from what the cloud said, read by the error table.
  const hint = user?.hint ?? (error instanceof EngineError ? failureHint(failureMessages(error)) : undefined);
  // DSTACK_PROGRESS=json: the failure is one more JSON line on stderr.
  if (progressFormat(env) === "json") {
    renderJson(
      out,
      {},
      {
        code: "command.failed",
        level: "error",
        text: error instanceof Error ? error.message : String(error),
        data: {
          error: user?.code ?? "internal",
          hint: hint ?? null,
          exit_code: user?.exitCode ?? EXIT_INTERNAL,
        },
      },
    );
    return user?.exitCode ?? EXIT_INTERNAL;
  }
  if (error instanceof UserError) {
    out.error(`error: ${error.message}${hint === undefined ? "" : `\n  hint: ${hint}`}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.error(
    `internal error: ${message}\nThis is a bug in dstack, not in your configuration. Please report it with the command you ran.`,
  );
  if (env.DSTACK_DEBUG !== undefined && error instanceof Error && error.stack !== undefined)
    out.error(error.stack);
  return EXIT_INTERNAL;
}

export async function runCli(): Promise<void> {
  const out = createOutput({ stdout: process.stdout, stderr: process.stderr }, process.env);
  process.exitCode = await main(process.argv.slice(2), out, process.env);
}
