// Fault injection: `<DSTACK_FAKE_CLOUD_DIR>/faults.json`, a list of rules read at every instance
// create. The first active rule matching the create decides: fail with the cloud's text for that kind of
// error, after an optional delay (or only delay, when the rule names no error). `times` limits a rule to
// its first N matching creates, counted in the store, so the count holds across plugin processes;
// `until_file` ends a rule when a test creates that file (a condition, where `until` is a clock).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hexOf } from "./hash.js";
import { CLOUDS, type CloudName } from "./store.js";

export const FAULT_ERRORS = ["capacity", "quota", "credentials", "invalid"] as const;
export type FaultError = (typeof FAULT_ERRORS)[number];

export interface FaultRule {
  cloud: CloudName;
  /** Absent: the create succeeds (after delay_ms). */
  error?: FaultError;
  /** Which of the cloud's texts for `error` (see SPEC.md); absent = the cloud's usual one. */
  code?: string;
  zone?: string;
  region?: string;
  instance_type?: string;
  /** true: only spot (preemptible) creates match; false: only on-demand ones. */
  spot?: boolean;
  times?: number;
  until?: string;
  /** The rule applies only while this file does not exist (relative: to the state directory). */
  until_file?: string;
  delay_ms?: number;
}

/** What a create is matched on. `zones` lists every spelling of its zone (AWS: name and AZ id). */
export interface FaultTarget {
  cloud: CloudName;
  zones: string[];
  region: string;
  instanceType: string;
  /** A spot (AWS), SPOT/preemptible (GCP) or Spot-priority (Azure) create. */
  spot?: boolean;
}

export interface FaultDecision {
  index: number;
  rule: FaultRule;
}

/** Which `code` values each cloud offers per error (the error-text modules' variants). */
export type KnownCodes = (cloud: CloudName, error: FaultError) => readonly string[];

const KEYS = [
  "cloud",
  "error",
  "code",
  "zone",
  "region",
  "instance_type",
  "spot",
  "times",
  "until",
  "until_file",
  "delay_ms",
];

export function faultsFile(dir: string): string {
  return join(dir, "faults.json");
}

function ruleProblems(raw: unknown, knownCodes: KnownCodes): string[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return ["must be an object"];
  const rule = raw as Record<string, unknown>;
  const problems = Object.keys(rule)
    .filter((k) => !KEYS.includes(k))
    .map((k) => `unknown key "${k}" (keys: ${KEYS.join(", ")})`);
  const isStr = (k: string): boolean => rule[k] === undefined || typeof rule[k] === "string";
  if (!CLOUDS.includes(rule.cloud as CloudName)) problems.push(`"cloud" must be one of ${CLOUDS.join(", ")}`);
  if (rule.error !== undefined && !FAULT_ERRORS.includes(rule.error as FaultError))
    problems.push(`"error" must be one of ${FAULT_ERRORS.join(", ")}`);
  for (const k of ["code", "zone", "region", "instance_type", "until", "until_file"])
    if (!isStr(k)) problems.push(`"${k}" must be a string`);
  if (rule.spot !== undefined && typeof rule.spot !== "boolean") problems.push(`"spot" must be a boolean`);
  if (rule.code !== undefined && rule.error === undefined) problems.push(`"code" needs "error"`);
  if (typeof rule.code === "string" && problems.length === 0) {
    const codes = knownCodes(rule.cloud as CloudName, rule.error as FaultError);
    if (!codes.includes(rule.code)) problems.push(`"code" must be one of ${codes.join(", ")}`);
  }
  for (const k of ["times", "delay_ms"]) {
    const v = rule[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < (k === "times" ? 1 : 0)))
      problems.push(`"${k}" must be an integer >= ${k === "times" ? 1 : 0}`);
  }
  if (typeof rule.until === "string" && Number.isNaN(Date.parse(rule.until)))
    problems.push(`"until" must be an ISO timestamp`);
  if (rule.until_file === "") problems.push(`"until_file" must name a file`);
  return problems;
}

/** Parses a faults.json text; throws an Error naming every problem (rule index and key). */
export function parseFaults(text: string, file: string, knownCodes: KnownCodes): FaultRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`fake-cloud: ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(raw)) throw new Error(`fake-cloud: ${file} must hold a JSON array of rules`);
  const problems = raw.flatMap((r, i) => ruleProblems(r, knownCodes).map((p) => `rule ${i}: ${p}`));
  if (problems.length > 0) throw new Error(`fake-cloud: ${file}: ${problems.join("; ")}`);
  return raw as FaultRule[];
}

export function loadFaults(dir: string, knownCodes: KnownCodes): FaultRule[] {
  const file = faultsFile(dir);
  return existsSync(file) ? parseFaults(readFileSync(file, "utf8"), file, knownCodes) : [];
}

/** A rule's attempt counter key: its position and content, so an edited rule starts from zero. */
export function ruleKey(rule: FaultRule, index: number): string {
  return `${index}:${hexOf(JSON.stringify(rule), 12)}`;
}

/** What a rule's end depends on besides the create: the time, and which files exist. */
export interface FaultWorld {
  now: Date;
  /** Whether `file` exists; a relative path is the state directory's. */
  exists: (file: string) => boolean;
}

/** The world of the state directory `dir` at this moment. */
export function worldOf(dir: string): FaultWorld {
  return { now: new Date(), exists: (file) => existsSync(resolve(dir, file)) };
}

export function ruleMatches(rule: FaultRule, target: FaultTarget, world: FaultWorld): boolean {
  if (rule.cloud !== target.cloud) return false;
  if (rule.zone !== undefined && !target.zones.includes(rule.zone)) return false;
  if (rule.region !== undefined && rule.region !== target.region) return false;
  if (rule.instance_type !== undefined && rule.instance_type !== target.instanceType) return false;
  if (rule.spot !== undefined && rule.spot !== (target.spot ?? false)) return false;
  if (rule.until !== undefined && world.now.getTime() >= Date.parse(rule.until)) return false;
  return rule.until_file === undefined || !world.exists(rule.until_file);
}

/**
 * The deciding rule for one create, counting the attempt in `attempts` (mutated). Rules whose `times`
 * are used up are skipped, so a later rule can still match.
 */
export function decideFault(
  rules: readonly FaultRule[],
  target: FaultTarget,
  attempts: Record<string, number>,
  world: FaultWorld,
): FaultDecision | null {
  for (const [index, rule] of rules.entries()) {
    if (!ruleMatches(rule, target, world)) continue;
    const key = ruleKey(rule, index);
    const seen = attempts[key] ?? 0;
    if (rule.times !== undefined && seen >= rule.times) continue;
    attempts[key] = seen + 1;
    return { index, rule };
  }
  return null;
}
