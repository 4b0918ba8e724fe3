// Records dstack cannot read (changed by hand, damaged, or written by a newer dstack). Listings skip them
// so one bad file never hides the others; `ps` names each one on stderr with what is wrong and what to
// do, and a command that needs one of them (stop NAME, apply of the same name) refuses with that error.
import { fleetStore } from "../fleets/store.js";
import type { RecordError } from "../home/record-store.js";
import { poolStore } from "../pools/pool-store.js";
import { pendingStore } from "../runs/pending-store.js";
import { runStore } from "../runs/store.js";

export function unreadableRecords(home: string): RecordError[] {
  return [runStore(home), pendingStore(home), fleetStore(home), poolStore(home)].flatMap(
    (store) => store.list().unreadable,
  );
}

export const unreadableWarning = (error: RecordError): string =>
  `warning: ${error.message} (skipped)${error.hint === undefined ? "" : `\n  hint: ${error.hint}`}`;
