// The program that adopts orphans into a throwaway stack so that a destroy deletes them the Pulumi way:
// each one is declared with `import: <id>` and `ignoreChanges: ["*"]`, so the engine reads it back from
// its provider and takes what it reads as the desired state (no update, whatever the program says). The
// resources are declared by type token alone (no cloud package needed), on the default provider of
// their package at the pinned version, configured by the stack (aws:region, gcp:project). Volumes and
// security groups depend on the instances, so the destroy deletes instances first and frees them.
import { createRequire } from "node:module";
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { FoundResource, GcCloud } from "./found.js";

const require = createRequire(import.meta.url);
const PACKAGES: Record<GcCloud, string> = { aws: "@pulumi/aws", gcp: "@pulumi/gcp" };

export const versionOf = (cloud: GcCloud): string =>
  (require(`${PACKAGES[cloud]}/package.json`) as { version: string }).version;

/** A name the engine accepts, unique per resource of one stack. */
export const logicalName = (r: FoundResource): string =>
  `${r.kind}-${r.id}`.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+$/, "");

const isMachine = (r: FoundResource): boolean => r.kind === "instance" || r.kind === "tpu";

export function adoptProgram(resources: readonly FoundResource[]): PulumiFn {
  return async () => {
    const pulumi = await import("@pulumi/pulumi");
    class Adopted extends pulumi.CustomResource {}
    const adopt = (r: FoundResource, dependsOn: Adopted[]): Adopted =>
      new Adopted(
        r.type,
        logicalName(r),
        {},
        { import: r.id, ignoreChanges: ["*"], version: versionOf(r.cloud), dependsOn },
      );
    const machines = resources.filter(isMachine).map((r) => adopt(r, []));
    for (const r of resources.filter((x) => !isMachine(x))) adopt(r, machines);
    return {};
  };
}
