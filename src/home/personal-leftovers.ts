// Records a user made before pointing dstack at a shared backend (issue 15): they stay in ~/.dstack,
// since their stacks are in the personal state folder no teammate can reach, so moving them would hand
// the team runs it cannot stop. dstack says they are there and how to reach them; it never drops them.
import { join } from "node:path";
import { readdirSync } from "node:fs";
import { dstackDir } from "./paths.js";
import { sharedRecords } from "./members.js";

const KINDS = ["runs", "pending", "pools", "fleets", "volumes"] as const;

/** What of each kind ~/.dstack still holds while the records are elsewhere (empty when they are not). */
export function personalLeftovers(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { kind: string; names: string[] }[] {
  if (!sharedRecords(home, env)) return [];
  const out: { kind: string; names: string[] }[] = [];
  for (const kind of KINDS) {
    let names: string[] = [];
    try {
      names = readdirSync(join(dstackDir(home), kind))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -".json".length));
    } catch {
      // none
    }
    if (names.length > 0) out.push({ kind, names });
  }
  return out;
}

export function leftoversText(leftovers: readonly { kind: string; names: string[] }[]): string {
  const what = leftovers.map(
    (l) =>
      `${l.names.length} ${l.kind} (${l.names.slice(0, 3).join(", ")}${l.names.length > 3 ? ", ..." : ""})`,
  );
  return `~/.dstack still holds records from before the shared backend: ${what.join("; ")}. They stay personal (their stacks are in your own state folder): run dstack with DSTACK_BACKEND_URL= and no state.backend to see, stop or delete them.`;
}
