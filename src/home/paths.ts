// The one owner of the ~/.dstack layout: every file dstack keeps for a user is named here, so a folder
// never assembles a path of its own and a later shared-state backend knows exactly what moves.
import { join } from "node:path";

export function dstackDir(home: string): string {
  return join(home, ".dstack");
}

export const runsDir = (home: string): string => join(dstackDir(home), "runs");
export const poolsDir = (home: string): string => join(dstackDir(home), "pools");
export const pendingDir = (home: string): string => join(dstackDir(home), "pending");
export const fleetsDir = (home: string): string => join(dstackDir(home), "fleets");
export const logsDir = (home: string): string => join(dstackDir(home), "logs");
export const localBackendDir = (home: string): string => join(dstackDir(home), "local");
export const stateDir = (home: string): string => join(dstackDir(home), "state");
export const configFile = (home: string): string => join(dstackDir(home), "config.yml");
