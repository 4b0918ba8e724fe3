// The people who use a shared backend (issue 15): one record per user with their public SSH key, written
// by their own dstack the first time it opens the shared records. Instances authorize the keys of the
// members known when a run is submitted (through the agent, src/runs/team-keys.ts), and `dstack ssh-key
// add` authorizes later members on the instances that already run; a member unknown to an instance
// cannot reach it. With personal records (no shared backend) there are no members.
import { z } from "zod";
import { isoTime } from "./record-fields.js";
import { recordStore } from "./record-stores.js";
import type { RecordKind, RecordStore } from "./record-store.js";
import { recordsRoot } from "./records-root.js";
import { currentOwner } from "./owner.js";

const memberRecord = z.object({
  user: z.string(),
  host: z.string(),
  /** `ssh-ed25519 AAAA... comment`: the key their dstack uses for instances and runs. */
  public_key: z.string(),
  joined_at: isoTime,
});
export type MemberRecord = z.infer<typeof memberRecord>;

/** A record key from a user name: letters, digits, `.`, `_`, `-`. */
export const memberKey = (user: string): string =>
  user.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[._-]/, "u");

export const MEMBER_KIND: RecordKind<MemberRecord> = {
  noun: "member",
  version: 1,
  schema: memberRecord,
  key: (m) => memberKey(`${m.user}.${m.host}`),
  order: (a, b) => a.user.localeCompare(b.user),
  whenRemoved: "the user is no longer authorized on new runs' instances (their dstack adds them back)",
};

const store = (home: string): RecordStore<MemberRecord> => recordStore(MEMBER_KIND, home, "members");

/** Whether the records are the team's (a shared folder, a bucket, a Pulumi service), not ~/.dstack. */
export const sharedRecords = (
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean => {
  const root = recordsRoot(home, env);
  return root.kind !== "files" || root.shared;
};

export const listMembers = (home: string): MemberRecord[] =>
  sharedRecords(home) ? store(home).list().records : [];

/** Records this user (with this key) as a member of the shared backend; nothing when records are personal. */
export function joinBackend(
  home: string,
  key: () => string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  if (!sharedRecords(home, env)) return;
  const publicKey = key();
  const me = currentOwner(env);
  const known = store(home).get(memberKey(`${me.user}.${me.host}`));
  if (known?.public_key === publicKey.trim() && known.host === me.host) return;
  store(home).put({
    ...me,
    public_key: publicKey.trim(),
    joined_at: known?.joined_at ?? new Date().toISOString(),
  });
}
