// Who may call the service: access tokens and the user each one belongs to. A user is a member of its own
// personal organization (its name) and of any organizations the configuration lists; stacks live in
// organizations, so membership decides which stacks a token sees.
import { readFileSync } from "node:fs";

export interface ServiceUser {
  /** Login name, as `pulumi whoami` prints it; also the user's personal organization. */
  name: string;
  token: string;
  /** Organizations besides the personal one. */
  orgs: string[];
}

/** The tokens a server gets when nothing configures it (documented in SPEC.md and the ensure script). */
export const DEFAULT_USERS: readonly ServiceUser[] = [
  { name: "dstack", token: "pul-dstack-local-token", orgs: [] },
  { name: "dstack-other", token: "pul-dstack-other-token", orgs: [] },
];

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `user1:token1,user2:token2` (DSTACK_PULUMI_SERVICE_TOKENS). */
export function parseTokenList(spec: string): ServiceUser[] {
  return spec
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const colon = entry.indexOf(":");
      const name = entry.slice(0, colon);
      const token = entry.slice(colon + 1);
      if (colon < 1 || token === "" || !NAME.test(name))
        throw new Error(`pulumi-service: "${entry}" is not user:token (DSTACK_PULUMI_SERVICE_TOKENS)`);
      return { name, token, orgs: [] };
    });
}

/** A JSON file `{"users": [{"name": "...", "token": "...", "orgs": ["..."]}]}` (DSTACK_PULUMI_SERVICE_CONFIG). */
export function parseUsersFile(path: string): ServiceUser[] {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { users?: unknown };
  if (!Array.isArray(parsed.users)) throw new Error(`pulumi-service: ${path} has no "users" array`);
  return parsed.users.map((raw: unknown, i) => {
    const u = raw as Partial<ServiceUser>;
    if (typeof u.name !== "string" || !NAME.test(u.name) || typeof u.token !== "string" || u.token === "")
      throw new Error(`pulumi-service: ${path}: users[${i}] needs a name and a token`);
    const orgs = Array.isArray(u.orgs) ? u.orgs.filter((o): o is string => typeof o === "string") : [];
    return { name: u.name, token: u.token, orgs };
  });
}

/** The users of a server started from the environment: the config file, else the token list, else defaults. */
export function usersFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceUser[] {
  if (env.DSTACK_PULUMI_SERVICE_CONFIG) return parseUsersFile(env.DSTACK_PULUMI_SERVICE_CONFIG);
  if (env.DSTACK_PULUMI_SERVICE_TOKENS) return parseTokenList(env.DSTACK_PULUMI_SERVICE_TOKENS);
  return DEFAULT_USERS.map((u) => ({ ...u, orgs: [...u.orgs] }));
}

/** Every organization the user belongs to, personal first. */
export function orgsOf(user: ServiceUser): string[] {
  return [user.name, ...user.orgs.filter((o) => o !== user.name)];
}
