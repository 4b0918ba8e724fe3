// Helpers for the fleet tests that run the built CLI against the fake cloud through the real engine: a
// user (temporary HOME, its own fake-cloud store, the fake plugins first on PATH), and what is left
// afterwards in the fake cloud and in the file state backend (stack resources, pending operations,
// locks), so that every scenario can check that nothing is orphaned.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fakeCloudEnv } from "../fake-cloud/install.js";
import { listResources, type StoredResource } from "../fake-cloud/state.js";
import { e2eEnv } from "./e2e-cli.js";

export interface FleetUser {
  home: string;
  /** The fake cloud's store (DSTACK_FAKE_CLOUD_DIR). */
  cloud: string;
  env: Record<string, string>;
}

/** A fresh user whose CLI finds the fake provider plugins before anything else on PATH. */
export function fleetUser(fakeBin: string, config?: string, extra: Record<string, string> = {}): FleetUser {
  const home = mkdtempSync(join(tmpdir(), "dstack-fleet-home-"));
  const cloud = join(home, "fake-cloud");
  mkdirSync(join(home, ".dstack"), { recursive: true });
  if (config !== undefined) writeFileSync(join(home, ".dstack", "config.yml"), config);
  const env = e2eEnv(home, {
    PATH: [fakeBin, process.env.PATH ?? ""].join(delimiter),
    ...fakeCloudEnv(cloud),
    ...extra,
  });
  return { home, cloud, env };
}

interface StackFile {
  checkpoint: {
    latest?: { resources?: { id?: string; type: string }[]; pending_operations?: unknown[] };
  };
}

export interface StackState {
  project: string;
  stack: string;
  ids: string[];
  pending: number;
  locked: boolean;
}

/** Every stack in the user's file state backend, with its resource ids, pending operations and lock. */
export function stackStates(home: string): StackState[] {
  const root = join(home, ".dstack", "state", ".pulumi");
  const stacks = join(root, "stacks");
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks).flatMap((project) =>
    readdirSync(join(stacks, project))
      .filter((f) => f.endsWith(".json"))
      .map((f) => {
        const stack = f.slice(0, -".json".length);
        const latest = (JSON.parse(readFileSync(join(stacks, project, f), "utf8")) as StackFile).checkpoint
          .latest;
        const lockDir = join(root, "locks", "organization", project, stack);
        return {
          project,
          stack,
          ids: (latest?.resources ?? []).flatMap((r) => (r.id === undefined || r.id === "" ? [] : [r.id])),
          pending: latest?.pending_operations?.length ?? 0,
          locked: existsSync(lockDir) && readdirSync(lockDir).length > 0,
        };
      }),
  );
}

/** What exists in the fake cloud that no stack holds: orphans. */
export function orphans(user: FleetUser): StoredResource[] {
  const held = new Set(stackStates(user.home).flatMap((s) => s.ids));
  return listResources(user.cloud).filter((r) => !held.has(r.id));
}

export const INSTANCE_TYPES = [
  "aws:ec2/instance:Instance",
  "gcp:compute/instance:Instance",
  "azure-native:compute:VirtualMachine",
];

export const instancesIn = (cloud: string): StoredResource[] =>
  listResources(cloud).filter((r) => INSTANCE_TYPES.includes(r.type));

/** The "Attempt ..." lines of the CLI's stderr. */
export const attemptLines = (stderr: string): string[] =>
  stderr.split("\n").filter((l) => /^Attempt \d+\//.test(l));
