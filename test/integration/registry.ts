// The real OCI registry `scripts/ensure-registry` runs on 127.0.0.1 (Debian's docker-registry), and
// pushing images to it with the real Docker engine. A registry that does not answer is a failure that
// says how to start it, never a skip.
import { localRegistryAddress } from "../../src/build/registry-client.js";
import { docker } from "./docker.js";

export const REGISTRY_HINT = "run ./scripts/ensure-registry";

/** The registry's address (host:port, as image references want it), once `GET /v2/` answers 200. */
export async function requireRegistry(env = process.env): Promise<string> {
  const address = localRegistryAddress(env);
  const url = `http://${address}/v2/`;
  const status = await fetch(url, { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.status)
    .catch((e: unknown) => String((e as { cause?: unknown }).cause ?? e));
  if (status !== 200) throw new Error(`no registry answers on ${url} (${status}): ${REGISTRY_HINT}`);
  return address;
}

/**
 * Commits a container of `base` with the labels as a new image (what a build does), pushes it as
 * `ref`, and returns the digest the registry gave it. The container (labelled `testLabel`) is removed.
 */
export function commitAndPush(
  base: string,
  ref: string,
  labels: Record<string, string>,
  testLabel: string,
): string {
  const container = docker(["create", "--label", testLabel, base, "true"]);
  try {
    const changes = Object.entries(labels).flatMap(([k, v]) => ["--change", `LABEL ${k}=${v}`]);
    docker(["commit", ...changes, container, ref]);
  } finally {
    docker(["rm", "-f", container]);
  }
  const out = docker(["push", ref], { timeoutMs: 300_000 });
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
  if (digest === undefined) throw new Error(`docker push ${ref} printed no digest:\n${out}`);
  return digest;
}
