// The shape every instance of the pool exports, whatever resource it is (VM or TPU).
import type { PoolOutputs } from "../pool-spec.js";

export type InstanceOutput = PoolOutputs["instances"][number];

/** dstack logs in as root (user data installs the keys for root) on the standard port. */
export const SSH_USER = "root";
export const SSH_PORT = 22;
