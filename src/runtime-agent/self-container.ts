// Whether the agent runs inside a container of the very Docker engine it talks to (the local backend's
// instance, a fake-cloud instance) or on a machine of its own (a cloud VM). Candidates come from what a
// container shows of itself: the source of its /etc/hostname bind mount (`.../containers/<id>/hostname`),
// a Docker cgroup path, a hostname that is an id prefix. A candidate counts only when the daemon knows a
// container by exactly that id; on a VM there is none, so nothing changes there.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { ContainerInfo, Docker } from "./docker.js";

/** What the agent's own process shows of its surroundings. */
export interface SelfProbe {
  /** /proc/self/mountinfo */
  mountinfo: string;
  /** /proc/self/cgroup */
  cgroup: string;
  hostname: string;
}

const FULL_ID = /^[0-9a-f]{64}$/;
/** The files Docker bind-mounts into every container from its own per-container folder. */
const DOCKER_FILES = new Set(["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"]);

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export function probeSelf(): SelfProbe {
  return {
    mountinfo: readOr("/proc/self/mountinfo"),
    cgroup: readOr("/proc/self/cgroup"),
    hostname: hostname(),
  };
}

/** Container ids (full, or a 12+ hex prefix from the hostname) this process may be running in, best first. */
export function candidateIds(probe: SelfProbe): string[] {
  const ids: string[] = [];
  for (const line of probe.mountinfo.split("\n")) {
    // id parent major:minor root mount-point ...: root is the source path inside its filesystem.
    const [, , , root = "", mountPoint = ""] = line.split(" ");
    if (!DOCKER_FILES.has(mountPoint)) continue;
    const m = /\/containers\/([0-9a-f]{64})\/[^/]+$/.exec(root);
    if (m?.[1] !== undefined) ids.push(m[1]);
  }
  for (const m of probe.cgroup.matchAll(/(?:docker[-/])([0-9a-f]{64})/g)) if (m[1]) ids.push(m[1]);
  if (/^[0-9a-f]{12,64}$/.test(probe.hostname)) ids.push(probe.hostname);
  return [...new Set(ids)];
}

/** The daemon's inspect of the container this process runs in, or null (a VM, or another engine). */
export async function findSelfContainer(docker: Docker, probe: SelfProbe): Promise<ContainerInfo | null> {
  for (const candidate of candidateIds(probe)) {
    const info = await docker.inspectContainer(candidate).catch(() => null);
    if (info === null) continue;
    const exact = FULL_ID.test(candidate) ? info.Id === candidate : info.Id.startsWith(candidate);
    if (exact) return info;
  }
  return null;
}
