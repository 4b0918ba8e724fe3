// Deleting orphans the Pulumi way: per cloud region (AWS) or project (GCP), adopt them into a
// throwaway stack of the scratch backend (adopt-program.ts), then destroy that stack. A place that
// fails is reported (in the engine's words) and the others carry on.
import { failureMessages } from "../engine/errors.js";
import { destroy, up, type StackTarget } from "../engine/stack-runner.js";
import type { StateBackend } from "../engine/state-backend.js";
import { adoptProgram } from "./adopt-program.js";
import type { FoundResource, GcCloud } from "./found.js";

export interface DeleteContext {
  backend: StateBackend;
  pulumiBinDir: string;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  /** Told before each place: what is about to be deleted. */
  onGroup?: (resources: readonly FoundResource[]) => void;
}

export interface DeleteOutcome {
  deleted: FoundResource[];
  failed: { resource: FoundResource; message: string }[];
}

/** The provider setting that points a cloud's default provider at the place. */
const CONFIG_KEY: Record<GcCloud, string> = { aws: "aws:region", gcp: "gcp:project" };

function target(ctx: DeleteContext, group: readonly FoundResource[], first: FoundResource): StackTarget {
  return {
    project: "dstack-gc",
    stack: `${first.cloud}-${first.scope}`.replace(/[^A-Za-z0-9-]+/g, "-"),
    program: adoptProgram(group),
    backend: ctx.backend,
    pulumiBinDir: ctx.pulumiBinDir,
    config: { [CONFIG_KEY[first.cloud]]: { value: first.scope } },
  };
}

export async function deleteOrphans(
  orphans: readonly FoundResource[],
  ctx: DeleteContext,
): Promise<DeleteOutcome> {
  const outcome: DeleteOutcome = { deleted: [], failed: [] };
  const placeOf = (r: FoundResource): string => `${r.cloud} ${r.scope}`;
  for (const place of new Set(orphans.map(placeOf))) {
    const group = orphans.filter((r) => placeOf(r) === place);
    const first = group[0];
    if (first === undefined) continue;
    ctx.onGroup?.(group);
    const stack = target(ctx, group, first);
    const run = { signal: ctx.signal, onOutput: ctx.onOutput };
    try {
      await up(stack, run);
      await destroy(stack, { ...run, remove: true });
      outcome.deleted.push(...group);
    } catch (error) {
      const message = failureMessages(error).join("; ");
      outcome.failed.push(...group.map((resource) => ({ resource, message })));
    }
  }
  return outcome;
}
