// The system variables every run's container gets, after the user's env (they win), as dstack's runner
// sets them (runner/internal/runner/executor/executor.go). A run here is one node, so:
//   DSTACK_RUN_NAME, DSTACK_REPO_ID     the run's name and repository id
//   DSTACK_GPUS_NUM, DSTACK_GPUS_PER_NODE  the GPUs given to the container (the same: one node)
//   DSTACK_NODE_RANK=0, DSTACK_NODES_NUM=1
//   DSTACK_MASTER_NODE_IP, DSTACK_NODES_IPS  this node's own address (the only node is the master)
//   DSTACK_WORKING_DIR, DSTACK_REPO_DIR  the working directory and where the repository is (/workflow)
// Not set: DSTACK_RUN_ID and DSTACK_JOB_ID (runs have no ids here, only names) and DSTACK_MPI_HOSTFILE
// (no hostfile is written for one node).
import type { NetworkInterfaceInfo } from "node:os";
import type { JobSpec } from "./spec.js";

export const REPO_DIR = "/workflow";

export function systemEnv(spec: JobSpec, nodeIp: string): Record<string, string> {
  return {
    DSTACK_RUN_NAME: spec.name,
    DSTACK_REPO_ID: spec.repo_id,
    DSTACK_GPUS_NUM: String(spec.gpus),
    DSTACK_GPUS_PER_NODE: String(spec.gpus),
    DSTACK_NODE_RANK: "0",
    DSTACK_NODES_NUM: "1",
    DSTACK_MASTER_NODE_IP: nodeIp,
    DSTACK_NODES_IPS: nodeIp,
    DSTACK_WORKING_DIR: spec.working_dir,
    DSTACK_REPO_DIR: REPO_DIR,
  };
}

/**
 * This node's address as its peers would use it: the first non-loopback IPv4 address (a VM's private
 * address; the instance container's on the local backend, whose network namespace runs share), else
 * 127.0.0.1.
 */
export function nodeAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  for (const list of Object.values(interfaces)) {
    const found = list?.find((i) => i.family === "IPv4" && !i.internal);
    if (found !== undefined) return found.address;
  }
  return "127.0.0.1";
}
