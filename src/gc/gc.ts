// `dstack gc`: what carries dstack's tag in the clouds but belongs to no stack of any state backend
// dstack knows. The clouds are read first and the stacks after, so a resource an apply finishes in
// between is seen owned rather than orphaned; a stack whose update is still running is reported as
// busy, and deleting waits until none is (its new resources may not be in its state yet).
import { up } from "../engine/stack-runner.js";
import { resolveStateBackend, type StateBackend } from "../engine/state-backend.js";
import { stackResources } from "../engine/state-stacks.js";
import { UserError } from "../errors.js";
import { engineContext } from "../pools/pools-context.js";
import { deleteOrphans, type DeleteOutcome } from "./delete-orphans.js";
import { isVolume, type FoundResource } from "./found.js";
import { listProgram } from "./list-program.js";
import { scratchBackend } from "./scratch.js";
import { gcTargets, type GcTargets } from "./targets.js";

export interface GcInput {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  backendUrl?: string;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  /** Progress for the user: what gc is reading now. */
  onStep?: (text: string) => void;
}

export interface GcFindings {
  targets: GcTargets;
  /** Every tagged resource found. */
  found: FoundResource[];
  /** Those no stack holds. */
  orphans: FoundResource[];
  /** The state backends whose stacks were read. */
  stateBackends: string[];
  stacks: number;
  /** Stacks with an update in progress. */
  busy: string[];
  /** The Pulumi CLI the listing ran with (the deletion runs with it too). */
  pulumiBinDir: string;
}

interface Session {
  backends: StateBackend[];
  pulumiBinDir: string;
}

function session(input: GcInput, targets: GcTargets): Session {
  const engine = engineContext({ home: input.home, env: input.env, backendUrl: input.backendUrl }, false);
  const urls = [...new Set([engine.backend.url, ...targets.recordBackends])];
  const backends = urls.map((url) =>
    url === engine.backend.url
      ? engine.backend
      : resolveStateBackend({ home: input.home, env: input.env, backendUrl: url }),
  );
  return { backends, pulumiBinDir: engine.pulumiBinDir };
}

async function listTagged(input: GcInput, s: Session, targets: GcTargets): Promise<FoundResource[]> {
  if (targets.aws.length === 0 && targets.gcp.length === 0) return [];
  const scratch = scratchBackend();
  try {
    const { outputs } = await up(
      {
        project: "dstack-gc",
        stack: "list",
        program: listProgram(targets),
        backend: scratch.backend,
        pulumiBinDir: s.pulumiBinDir,
      },
      { signal: input.signal, onOutput: input.onOutput },
    );
    return (outputs.found as FoundResource[] | undefined) ?? [];
  } finally {
    scratch.dispose();
  }
}

export async function findOrphans(input: GcInput): Promise<GcFindings> {
  const targets = gcTargets(input.home, input.env);
  const s = session(input, targets);
  const where = [...targets.aws.map((r) => `aws ${r}`), ...targets.gcp.map((p) => `gcp project ${p}`)].join(
    ", ",
  );
  input.onStep?.(`Listing resources tagged dstack-managed in ${where === "" ? "no cloud" : where}...`);
  const found = await listTagged(input, s, targets);
  input.onStep?.(`Reading the stacks of ${s.backends.map((b) => b.url).join(", ")}...`);
  const owned = new Set<string>();
  const busy: string[] = [];
  let stacks = 0;
  for (const backend of s.backends)
    for (const stack of await stackResources(backend, s.pulumiBinDir)) {
      stacks += 1;
      stack.ids.forEach((id) => owned.add(id));
      if (stack.updateInProgress) busy.push(stack.name);
    }
  return {
    targets,
    found,
    orphans: found.filter((r) => !owned.has(r.id)),
    stateBackends: s.backends.map((b) => b.url),
    stacks,
    busy,
    pulumiBinDir: s.pulumiBinDir,
  };
}

export interface GcDeletion extends DeleteOutcome {
  /** Orphaned volumes left alone (no --volumes). */
  kept: FoundResource[];
}

export async function deleteFound(
  input: GcInput,
  findings: GcFindings,
  options: { volumes: boolean; onGroup?: (resources: readonly FoundResource[]) => void },
): Promise<GcDeletion> {
  if (findings.busy.length > 0)
    throw new UserError(
      "stack-busy",
      `not deleting while ${findings.busy.join(", ")} ${findings.busy.length === 1 ? "is" : "are"} being updated: its new resources may not be in its state yet`,
      "run dstack gc --yes again when the update has ended (a lock left by a killed dstack is cleared by its next command)",
    );
  const kept = options.volumes ? [] : findings.orphans.filter(isVolume);
  const doomed = findings.orphans.filter((r) => !kept.includes(r));
  const scratch = scratchBackend();
  try {
    const outcome = await deleteOrphans(doomed, {
      backend: scratch.backend,
      pulumiBinDir: findings.pulumiBinDir,
      signal: input.signal,
      onOutput: input.onOutput,
      onGroup: options.onGroup,
    });
    return { ...outcome, kept };
  } finally {
    scratch.dispose();
  }
}
