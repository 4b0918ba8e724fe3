// Every stack a state backend holds, of every project, with the ids of the resources its last
// deployment records: what `dstack gc` counts as owned. Read with the CLI (`stack ls --all`, `stack
// export`), so file, S3 and Pulumi Cloud backends answer alike; secrets are never decrypted.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UserError } from "../errors.js";
import { engineDetail, rawOutput } from "./errors.js";
import { backendEnv, loadAutomation, pulumiCommandIn } from "./open-stack.js";
import type { StateBackend } from "./state-backend.js";

export interface StackResources {
  /** Fully qualified: `organization/<project>/<stack>` (file, S3) or `<org>/<project>/<stack>`. */
  name: string;
  /** An update is running now (or a killed one left its lock). */
  updateInProgress: boolean;
  /** Ids of the resources the deployment records, pending operations' included. */
  ids: string[];
}

interface Deployment {
  deployment?: {
    resources?: { id?: string }[];
    pending_operations?: { resource?: { id?: string } }[];
  };
}

const run = promisify(execFile);

function idsOf(exported: Deployment): string[] {
  const d = exported.deployment;
  const ids = [
    ...(d?.resources ?? []).map((r) => r.id),
    ...(d?.pending_operations ?? []).map((p) => p.resource?.id),
  ];
  return ids.filter((id): id is string => typeof id === "string" && id !== "");
}

function unreachable(backend: StateBackend, doing: string, error: unknown): UserError {
  const detail = engineDetail(rawOutput(error)).split("\n")[0] ?? "";
  return new UserError(
    "state-unreachable",
    `cannot ${doing} of the state backend ${backend.url}${detail === "" ? "" : `: ${detail}`}`,
    "check the URL, its credentials and its passphrase (dstack doctor checks the state backend); nothing was changed",
  );
}

/** Every stack of `backend` with its resource ids; `skipProjects` are left out (dstack's own scratch). */
export async function stackResources(
  backend: StateBackend,
  pulumiBinDir: string,
  skipProjects: readonly string[] = [],
): Promise<StackResources[]> {
  const auto = await loadAutomation();
  const pulumiCommand = await pulumiCommandIn(pulumiBinDir);
  const envVars = backendEnv(backend, pulumiBinDir);
  let summaries: { name: string; updateInProgress?: boolean }[];
  let workspace: Awaited<ReturnType<typeof auto.LocalWorkspace.create>>;
  try {
    workspace = await auto.LocalWorkspace.create({
      pulumiCommand,
      envVars,
      projectSettings: { name: "dstack-state", runtime: "nodejs", backend: { url: backend.url } },
    });
    summaries = await workspace.listStacks({ all: true });
  } catch (error) {
    throw unreachable(backend, "list the stacks", error);
  }
  const wanted = summaries.filter((s) => !skipProjects.includes(s.name.split("/").at(-2) ?? ""));
  const result: StackResources[] = [];
  for (const summary of wanted) {
    let exported: Deployment;
    try {
      // Not workspace.exportStack: it decrypts secrets, which a stack of another passphrase refuses.
      const out = await run(pulumiCommand.command, ["stack", "export", "--stack", summary.name], {
        cwd: workspace.workDir,
        env: { ...process.env, ...envVars },
        maxBuffer: 256 * 1024 * 1024,
      });
      exported = JSON.parse(out.stdout) as Deployment;
    } catch (error) {
      throw unreachable(backend, `read the stack ${summary.name}`, error);
    }
    result.push({
      name: summary.name,
      updateInProgress: summary.updateInProgress === true,
      ids: idsOf(exported),
    });
  }
  return result;
}
