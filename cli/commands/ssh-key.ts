// `dstack ssh-key add [--json]`: authorize every member of the shared backend on every instance you can
// reach (src/toolkit/team-keys.ts), so teammates who joined after a run started can reach it too.
import { textTable } from "../../src/text-table.js";
import type { CommandContext, Values } from "../command.js";
import { usageError } from "../../src/errors.js";
import { toolkitFor } from "../toolkit.js";

const PROBLEM = {
  "no-access": "does not accept your key (ask someone who can reach it)",
  unreachable: "not answering",
  "agent-too-old": "its agent is older than team keys",
};

export async function run(ctx: CommandContext, values: Values, positionals: string[]): Promise<number> {
  if (positionals[0] !== "add" || positionals.length > 1)
    throw usageError("dstack ssh-key takes one subcommand: add", "dstack ssh-key add");
  const { members, outcomes } = await toolkitFor(ctx).authorizeTeam();
  if (values.json === true) {
    ctx.out.json({ members, instances: outcomes });
    return outcomes.some((o) => o.problem !== undefined) ? 1 : 0;
  }
  ctx.out.print(`Members of the backend: ${members.join(", ")}`);
  if (outcomes.length === 0) ctx.out.print("No instances to authorize them on.");
  else
    ctx.out.print(
      textTable([
        ["INSTANCE", "POOL", "KEYS ADDED"],
        ...outcomes.map((o) => [
          o.instance,
          o.pool,
          o.problem === undefined ? String(o.added) : PROBLEM[o.problem],
        ]),
      ]),
    );
  return outcomes.some((o) => o.problem !== undefined) ? 1 : 0;
}
