// What tests read and write of the fake cloud besides running stacks: the resources that exist,
// fault rules and how often each decided a create, and changes behind the engine's back (a spot
// eviction, a pre-existing volume).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** Deletes a resource behind the engine's back (e.g. a spot eviction); true when it existed. Nothing cascades. */
export function removeResource(stateDir: string, cloud: CloudName, id: string): boolean {
  return new Store(stateDir).transact((data) => {
    const existed = data.clouds[cloud].resources[id] !== undefined;
    delete data.clouds[cloud].resources[id];
    return existed;
  });
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
