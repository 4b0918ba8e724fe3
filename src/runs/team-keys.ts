// Teammates on a shared backend reach the runs of each other (issue 15): when a run is submitted, its
// submitter's dstack, which can reach the instance, authorizes the keys of every member of the backend
// known at that moment on the instance, through the agent. Later members get in with `dstack ssh-key
// add`, run by anyone who can reach the instance. Nothing happens on personal records.
import { listMembers } from "../home/members.js";
import type { AgentSession } from "./agent-session.js";

/** The members' keys other than `own`. */
export function teammateKeys(home: string, own: string): string[] {
  const mine = own.trim().split(" ").slice(0, 2).join(" ");
  return listMembers(home)
    .map((m) => m.public_key)
    .filter((k) => k.split(" ").slice(0, 2).join(" ") !== mine);
}

/** Authorizes the teammates' keys on the session's instance; how many were new (0 with no teammates). */
export async function shareWithTeam(home: string, session: AgentSession, own: string): Promise<number> {
  const keys = teammateKeys(home, own);
  if (keys.length === 0) return 0;
  return (await session.authorizeKeys(keys)) ?? 0;
}
