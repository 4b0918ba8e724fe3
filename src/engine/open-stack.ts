// Opening a stack through the Automation API: the pinned CLI, the state backend and its passphrase, the
// inline program, created or selected. @pulumi/pulumi loads only here, lazily, so commands that never
// touch the engine do not pay its ~0.8 s import.
import type * as AutomationModule from "@pulumi/pulumi/automation/index.js";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { EngineError, rawOutput } from "./errors.js";
import { pulumiEnv, pulumiRoot } from "./pulumi-cli.js";
import type { StateBackend } from "./state-backend.js";

export interface StackTarget {
  project: string;
  stack: string;
  program: PulumiFn;
  backend: StateBackend;
  /** Folder holding the `pulumi` binary (and the Node language host) at the pinned version. */
  pulumiBinDir: string;
  /** Stack configuration, e.g. the compiled spec; secret values are encrypted by Pulumi. */
  config?: Record<string, { value: string; secret?: boolean }>;
  /** Extra environment for the engine and the providers it starts. */
  env?: Record<string, string>;
  /** What dstack itself did to the stack (e.g. a stale lock removed): lines the user should see. */
  onNotice?: (line: string) => void;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Engine output lines, for -v and logs. */
  onOutput?: (line: string) => void;
}

type Automation = typeof AutomationModule;
let automation: Promise<Automation> | undefined;
export const loadAutomation = (): Promise<Automation> =>
  (automation ??= import("@pulumi/pulumi/automation/index.js"));

/** The environment the CLI runs in against `backend`: its URL and passphrase, plus `extra`. */
export function backendEnv(
  backend: StateBackend,
  pulumiBinDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ...pulumiEnv(pulumiBinDir),
    PULUMI_BACKEND_URL: backend.url,
    ...extra,
  };
  if (backend.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = backend.passphrase.reveal();
  return env;
}

const engineEnv = (target: StackTarget): Record<string, string> =>
  backendEnv(target.backend, target.pulumiBinDir, target.env);

/** The pinned Pulumi CLI in `pulumiBinDir`, as the Automation API runs it. */
export async function pulumiCommandIn(pulumiBinDir: string): Promise<AutomationModule.PulumiCommand> {
  const auto = await loadAutomation();
  try {
    return await auto.PulumiCommand.get({ root: pulumiRoot(pulumiBinDir), skipVersionCheck: false });
  } catch (error) {
    throw new EngineError(
      "cli-missing",
      `the Pulumi CLI in ${pulumiBinDir} does not run`,
      { operation: "open", diagnostics: [], raw: rawOutput(error) },
      "run ./scripts/ensure-pulumi (or ./scripts/setup)",
    );
  }
}

/**
 * On a Pulumi service, a team's stacks live in its organization (DSTACK_PULUMI_ORG, as the records do,
 * src/shared-state/service-api.ts); without it, the token user's default organization, as Pulumi does.
 */
function qualifiedStackName(target: StackTarget): string {
  const org = process.env.DSTACK_PULUMI_ORG;
  if (target.backend.kind !== "cloud" || org === undefined || org === "" || target.stack.includes("/"))
    return target.stack;
  return `${org}/${target.stack}`;
}

export async function openStack(target: StackTarget): Promise<Stack> {
  const auto = await loadAutomation();
  const pulumiCommand = await pulumiCommandIn(target.pulumiBinDir);
  const args = {
    projectName: target.project,
    stackName: qualifiedStackName(target),
    program: target.program,
  };
  const options = {
    pulumiCommand,
    envVars: engineEnv(target),
    projectSettings: {
      name: target.project,
      runtime: "nodejs" as const,
      backend: { url: target.backend.url },
    },
    secretsProvider: target.backend.passphrase === undefined ? undefined : "passphrase",
  };
  let stack: Stack;
  try {
    stack = await auto.LocalWorkspace.createOrSelectStack(args, options);
  } catch (error) {
    // Two processes opening a new stack at once (two applies, or apply and the reaper) both find it
    // missing and both create it; the later one is told it exists, and then it does: select it.
    if (!(error instanceof auto.StackAlreadyExistsError)) throw error;
    stack = await auto.LocalWorkspace.selectStack(args, options);
  }
  if (target.config !== undefined) await stack.setAllConfig(target.config);
  return stack;
}
