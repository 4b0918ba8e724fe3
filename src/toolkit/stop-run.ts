// The decision behind `dstack stop NAME`: a run still pending (retrying for capacity in the background)
// is cancelled: its process is signalled, cancels the attempt under way through Pulumi, and exits
// leaving nothing; the pending record goes. A run on an instance is stopped through its agent, or, when
// the instance no longer answers, forgotten. Its ssh entry goes; the reaper then tears the idle
// instance down after idle_duration.
import { dropActiveRun } from "../pools/pool-store.js";
import { cancelRetrying, type Cancelled } from "../runs/pending-process.js";
import { pendingSupersedes, readPending, removePending, type PendingRun } from "../runs/pending-store.js";
import { readRun, removeRun } from "../runs/store.js";
import { removeRunSshEntry } from "../ssh/ssh-config.js";
import { SshKeyRefused } from "../ssh/connect.js";
import { UserError } from "../errors.js";
import { currentOwner, isMine, ownerText, type Owner } from "../home/owner.js";
import { openAgent, pendingStatusOf, requireRun } from "./run-access.js";
import type { Toolkit } from "./toolkit.js";

export interface CancelOutcome {
  name: string;
  /** Its status text before it was cancelled. */
  was: string;
  pid: number | null;
  how: Cancelled;
}

export type RunStopOutcome =
  /** `owner`: whose run it was when not the caller's (a teammate's, on a shared backend). */
  | { kind: "stopped"; name: string; status: string; owner?: Owner }
  /** The instance did not answer: nothing runs there any more; the record is gone. */
  | { kind: "forgotten"; name: string; instance: string };

export interface StopOutcome {
  /** The user answered no (to the first question asked). */
  declined: boolean;
  cancelled?: CancelOutcome;
  run?: RunStopOutcome;
}

async function cancelPending(kit: Toolkit, pending: PendingRun): Promise<CancelOutcome> {
  const was = pendingStatusOf(pending).text;
  const how = await cancelRetrying(pending, kit.cancelGraceMs);
  // Killed after not exiting in time: whatever its attempt left is cleaned up like any killed dstack's.
  if (how === "killed") await kit.recover(pending.backend_url);
  removePending(kit.home, pending.name);
  return { name: pending.name, was, pid: pending.process?.pid ?? null, how };
}

async function stopOnInstance(kit: Toolkit, name: string | undefined, asked: boolean): Promise<StopOutcome> {
  const record = requireRun(kit.home, name);
  const theirs = isMine(record.owner, currentOwner(kit.env)) ? undefined : record.owner;
  const whose = theirs === undefined ? "" : ` of ${ownerText(theirs)}`;
  if (!asked && !(await kit.io.confirm(`Stop the run ${record.name}${whose}?`))) return { declined: true };
  const session = await openAgent(kit.home, record).catch((error: unknown) => {
    if (!(error instanceof SshKeyRefused)) return undefined;
    // Up, but not ours to reach: the run goes on; never forget it.
    throw new UserError(
      "no-access",
      `the run ${record.name}${whose} is on ${record.instance}, which does not accept your key`,
      `anyone who can reach it runs \`dstack ssh-key add\` (it authorizes every member of the backend), then stop it again`,
    );
  });
  let run: RunStopOutcome;
  if (session === undefined) {
    // The instance is gone (destroyed, or this machine restarted): nothing runs; forget the run.
    removeRun(kit.home, record.name);
    run = { kind: "forgotten", name: record.name, instance: record.instance };
  } else {
    try {
      const view = await session.stop(record.name);
      run = {
        kind: "stopped",
        name: record.name,
        status: view.status,
        ...(theirs === undefined ? {} : { owner: theirs }),
      };
    } finally {
      session.close();
    }
  }
  removeRunSshEntry(kit.home, record.name);
  // `pool ps` and the interruption check read the instance's runs from its pool: this one ended.
  dropActiveRun(kit.home, record.pool, record.instance, record.name);
  kit.keepReaper();
  return { declined: false, run };
}

export async function stopRun(kit: Toolkit, name: string | undefined): Promise<StopOutcome> {
  // A dstack killed mid-create left a half-created instance or a locked stack: clean that up first.
  await kit.recover();
  const pending = name === undefined ? undefined : readPending(kit.home, name);
  if (pending === undefined || !pendingSupersedes(pending, readRun(kit.home, pending.name)))
    return stopOnInstance(kit, name, pending !== undefined);
  if (!(await kit.io.confirm(`Cancel the pending run ${pending.name}?`))) return { declined: true };
  const cancelled = await cancelPending(kit, pending);
  // Submitted just before the signal arrived: then it is an ordinary run, stopped below.
  if (pendingSupersedes(pending, readRun(kit.home, pending.name))) return { declined: false, cancelled };
  return { ...(await stopOnInstance(kit, pending.name, true)), cancelled };
}
