// What tests read and write of the fake cloud besides running stacks: the resources that exist,
// fault rules and how often each decided a create, changes behind the engine's back (a spot eviction,
// a pre-existing volume), and the containers booted instances run in.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { removeContainer, STORE_LABEL } from "./boot/container.js";
import { dockerSync, lines } from "./boot/docker.js";
import { releaseAddresses } from "./boot/loopback.js";
import { storeLabel } from "./boot/options.js";
import { faultsFile, ruleKey, type FaultRule } from "./core/faults.js";
import { Store, type CloudName, type StoredResource } from "./core/store.js";
import type { JsonObject } from "./core/values.js";

export type { CloudName, FaultRule, StoredResource };

/** Every resource that exists now, optionally of one cloud and one type token. */
export function listResources(stateDir: string, cloud?: CloudName, type?: string): StoredResource[] {
  const data = new Store(stateDir).read();
  return Object.entries(data.clouds)
    .filter(([c]) => cloud === undefined || c === cloud)
    .flatMap(([, state]) => Object.values(state.resources))
    .filter((r) => type === undefined || r.type === type);
}

/** Replaces faults.json (the rules apply from the next create on; attempt counts of edited rules restart). */
export function writeFaults(stateDir: string, rules: readonly FaultRule[]): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(faultsFile(stateDir), `${JSON.stringify(rules, null, 2)}\n`);
}

export function clearFaults(stateDir: string): void {
  rmSync(faultsFile(stateDir), { force: true });
}

/** How many creates rule `index` of the current faults.json has decided (0 before any, or without the file). */
export function faultAttempts(stateDir: string, index: number): number {
  let rules: FaultRule[];
  try {
    rules = JSON.parse(readFileSync(faultsFile(stateDir), "utf8")) as FaultRule[];
  } catch {
    return 0;
  }
  const rule = rules[index];
  if (rule === undefined) return 0;
  return new Store(stateDir).read().meta.faultAttempts[ruleKey(rule, index)] ?? 0;
}

/**
 * Deletes a resource behind the engine's back (e.g. a spot eviction); true when it existed. Nothing
 * cascades; a booted instance's container (and the runs on it) goes too, and its address is freed.
 */
export function removeResource(stateDir: string, cloud: CloudName, id: string): boolean {
  const store = new Store(stateDir);
  const container = store.read().clouds[cloud].resources[id]?.container;
  if (container !== undefined) removeContainer(stateDir, container);
  return store.transact((data) => {
    const existed = data.clouds[cloud].resources[id] !== undefined;
    delete data.clouds[cloud].resources[id];
    releaseAddresses(data, stateDir, [id]);
    return existed;
  });
}

/** The label every container booted from this store carries (`dstack.fake-cloud=<hash>`). */
export function storeContainerLabel(stateDir: string): string {
  return `${STORE_LABEL}=${storeLabel(stateDir)}`;
}

/** Names of the containers (running or not) booted from this store. */
export function bootedContainers(stateDir: string): string[] {
  return lines(
    dockerSync(["ps", "-a", "--filter", `label=${storeContainerLabel(stateDir)}`, "--format", "{{.Names}}"]),
  );
}

/** Removes every container booted from this store and the runs on them (a test's own clean-up). */
export function removeBootedContainers(stateDir: string): void {
  for (const name of bootedContainers(stateDir)) removeContainer(stateDir, name);
}

/** Adds a resource that exists before any stack (an existing volume, a resource group). */
export function seedResource(
  stateDir: string,
  cloud: CloudName,
  res: { type: string; id: string; inputs?: JsonObject; outputs: JsonObject },
): void {
  new Store(stateDir).transact((data) => {
    const serial = ++data.meta.counter;
    data.clouds[cloud].resources[res.id] = {
      type: res.type,
      id: res.id,
      urn: "",
      inputs: res.inputs ?? res.outputs,
      outputs: { id: res.id, ...res.outputs },
      serial,
      createdAt: new Date().toISOString(),
    };
  });
}
