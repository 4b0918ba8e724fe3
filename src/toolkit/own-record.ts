// A background process (dstack _provision, _provision-fleet) starts before the command that started it
// has written its stamp into the record: it waits, briefly, until the record names it.
import { setTimeout as delay } from "node:timers/promises";

/** The record once it names this process; undefined when it is gone or names another within ~5 s. */
export async function ownRecord<T>(
  read: () => T | undefined,
  pidOf: (record: T) => number | undefined,
): Promise<T | undefined> {
  for (let i = 0; i < 100; i++) {
    const record = read();
    if (record === undefined) return undefined;
    if (pidOf(record) === process.pid) return record;
    await delay(50);
  }
  return undefined;
}
