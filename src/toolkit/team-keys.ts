// `dstack ssh-key add` (issue 15): every member of the shared backend authorized on every instance this
// user can reach, through each instance's agent. A member who joined after a run was submitted can then
// reach it (ps, stop, logs); an instance that does not accept this user's key is reported, not skipped
// silently (someone else must run the command for it).
import { listMembers, sharedRecords } from "../home/members.js";
import { UserError } from "../errors.js";
import { addressOf } from "../pools/pool.js";
import { listInstances } from "../pools/pool-store.js";
import { AgentSession } from "../runs/agent-session.js";
import { SshKeyRefused } from "../ssh/connect.js";
import { ensureClientKey } from "../ssh/keys.js";
import type { Toolkit } from "./toolkit.js";

export interface KeyOutcome {
  instance: string;
  pool: string;
  /** Keys new to the instance; null when it could not be asked. */
  added: number | null;
  /** Why it could not be asked. */
  problem?: "no-access" | "unreachable" | "agent-too-old";
}

export async function authorizeTeam(kit: Toolkit): Promise<{ members: string[]; outcomes: KeyOutcome[] }> {
  await kit.recover();
  if (!sharedRecords(kit.home))
    throw new UserError(
      "not-shared",
      "the records are personal (no shared backend), so there is no team to authorize",
      "set `state: {backend: URL}` in ~/.dstack/config.yml (or DSTACK_BACKEND_URL) to the backend your team shares",
    );
  const members = listMembers(kit.home);
  const keys = members.map((m) => m.public_key);
  const privateKey = ensureClientKey(kit.home).privateKey;
  const outcomes: KeyOutcome[] = [];
  for (const { pool, instance } of listInstances(kit.home)) {
    const address = addressOf(pool.name, instance);
    if (address === undefined) continue; // still being created: its run will authorize the team
    const base = { instance: instance.name, pool: pool.name };
    let session: AgentSession;
    try {
      session = await AgentSession.open(address, privateKey, 1);
    } catch (error) {
      outcomes.push({
        ...base,
        added: null,
        problem: error instanceof SshKeyRefused ? "no-access" : "unreachable",
      });
      continue;
    }
    try {
      const added = await session.authorizeKeys(keys);
      outcomes.push(
        added === undefined ? { ...base, added: null, problem: "agent-too-old" } : { ...base, added },
      );
    } catch {
      outcomes.push({ ...base, added: null, problem: "unreachable" });
    } finally {
      session.close();
    }
  }
  return { members: members.map((m) => `${m.user}@${m.host}`), outcomes };
}
