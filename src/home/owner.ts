// Who started a run, a pool instance or a fleet (issue 15): the user's name (DSTACK_USER, else the login
// name) and the host. On a shared backend every record says whose it is, so `dstack ps` shows an OWNER
// and `dstack stop` says whose run it stopped. Two people on one machine (two HOMEs) set DSTACK_USER.
import { hostname, userInfo } from "node:os";
import { z } from "zod";

export const ownerSchema = z.object({ user: z.string(), host: z.string() });
export type Owner = z.infer<typeof ownerSchema>;

export function currentOwner(env: Readonly<Record<string, string | undefined>> = process.env): Owner {
  const fromEnv = env.DSTACK_USER;
  let user = fromEnv !== undefined && fromEnv !== "" ? fromEnv : "";
  if (user === "")
    try {
      user = userInfo().username;
    } catch {
      user = env.USER ?? env.LOGNAME ?? "unknown";
    }
  return { user, host: hostname() };
}

export const ownerText = (owner: Owner | undefined): string =>
  owner === undefined ? "-" : `${owner.user}@${owner.host}`;

/** One's own: the same user name (on any host: one person, two laptops); a record without owner too. */
export const isMine = (owner: Owner | undefined, me: Owner): boolean =>
  owner === undefined || owner.user === me.user;
