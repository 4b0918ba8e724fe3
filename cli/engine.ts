// The engine context of a fleet command: the library's (Pulumi CLI, state backend), with dstack's notes
// on a stack (a stale lock removed) printed on stderr.
import { engineContext } from "../src/pools/pools-context.js";
import type { EngineContext } from "../src/pools/stack-pool.js";
import type { CommandContext } from "./command.js";

export function engineFor(ctx: CommandContext, backendUrl: string | undefined): EngineContext {
  return engineContext(
    { home: ctx.home, env: ctx.env, backendUrl, onNotice: (line) => ctx.out.error(line.trimEnd()) },
    false,
  );
}
