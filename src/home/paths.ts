// The one owner of the ~/.dstack layout: every file dstack keeps for a user is named here, so a folder
// never assembles a path of its own and a later shared-state backend knows exactly what moves.
import { join } from "node:path";

export const dstackDir = (home: string): string => join(home, ".dstack");

/** The user's settings: backends, regions, networks (read through src/home/load-config.ts). */
export const configFile = (home: string): string => join(dstackDir(home), "config.yml");
/** The user's profiles, after the project's own `.dstack/profiles.yml` (src/compiler/load.ts). */
export const userProfilesFile = (home: string): string => join(dstackDir(home), "profiles.yml");

/** The default Pulumi state backend (file://), and the passphrase its secrets are encrypted with. */
export const stateDir = (home: string): string => join(dstackDir(home), "state");
export const statePassphraseFile = (home: string): string => join(dstackDir(home), "state-passphrase");

// Records (runs, pending runs, fleets, pools, volumes, registries, the named pools, the pools' locks)
// live in the records root: ~/.dstack by default, else beside the team's stacks (records-root.ts,
// record-stores.ts): in a shared folder's file backend, `<folder>/.dstack`, next to Pulumi's `.pulumi`.
export const sharedRecordsDir = (backendDir: string): string => join(backendDir, ".dstack");

// The local backend: its instances' seed and data folders, the recovery mutex, the fault state.
export const localBackendDir = (home: string): string => join(dstackDir(home), "local");
export const localInstancesDir = (home: string): string => join(localBackendDir(home), "instances");
export const recoveryLockFile = (home: string): string => join(localBackendDir(home), "recovery.lock");
export const faultStateFile = (home: string): string => join(localBackendDir(home), "faults.json");

// Background processes: their logs, and the reaper's pid file.
export const logsDir = (home: string): string => join(dstackDir(home), "logs");
export const provisionLogFile = (home: string, run: string): string =>
  join(logsDir(home), `provision-${run}.log`);
export const fleetProvisionLogFile = (home: string, fleet: string): string =>
  join(logsDir(home), `provision-fleet-${fleet}.log`);
export const reaperLogFile = (home: string): string => join(logsDir(home), "reaper.log");
export const reaperPidFile = (home: string): string => join(dstackDir(home), "reaper.pid");

/** The CLI's SSH key and the ssh config that `Include ~/.dstack/ssh/config` pulls in. */
export const sshDir = (home: string): string => join(dstackDir(home), "ssh");
export const sshKeyFile = (home: string): string => join(sshDir(home), "id_ed25519");
export const sshConfigFile = (home: string): string => join(sshDir(home), "config");

/** The user's refreshed catalog copies (`dstack catalog update`): `<backend>.json`. */
export const catalogDir = (home: string): string => join(dstackDir(home), "catalog");
