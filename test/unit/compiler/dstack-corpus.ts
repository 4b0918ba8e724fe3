// The dstack corpus (test/fixtures/dstack-corpus): configurations copied from dstack's documentation and
// examples, each with the facts dstack's own models give it. This module compiles each one here, maps
// this project's normalized spec to the same facts (the adapter) and measures how many agree.
// Shared by test/unit/compiler/dstack-corpus.test.ts and bench/config-agreement.mjs.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { requirementsOf } from "../../../src/catalog/requirements.js";
import { compile, type CompileResult } from "../../../src/compiler/compile.js";
import type { Range } from "../../../src/compiler/grammar/range.js";
import type { VolumeMount } from "../../../src/compiler/grammar/volumes.js";
import type { FleetSpec, ResourcesSpec, RunSpec, Spec, VolumeSpec } from "../../../src/compiler/spec.js";

export const CORPUS = join(import.meta.dirname, "../../fixtures/dstack-corpus");

export type Facts = Record<string, unknown>;

export interface Fixture {
  /** Path relative to the corpus folder, e.g. `concepts/tasks-06-resources.yml`. */
  file: string;
  source: { repo: string; commit: string; path: string; section?: string };
  config: string;
  expect: Facts & { accepted: boolean; type: string };
}

export interface Disagreement {
  file: string;
  /** `accepted`, `rejected` or the dotted path of a fact, e.g. `resources.gpu.vendor`. */
  fact: string;
  expected: unknown;
  got: unknown;
}

export interface Agreement {
  size: number;
  agreeing: number;
  /** Accepted by dstack and rejected here. */
  rejected: number;
  disagreements: Disagreement[];
  /** Files with at least one disagreement. */
  failing: string[];
}

export function loadCorpus(dir = CORPUS): Fixture[] {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yml"))
    .sort();
  return files.map((f) => {
    const data = parse(readFileSync(join(dir, f), "utf8")) as Omit<Fixture, "file">;
    return { ...data, file: relative(dir, join(dir, f)) };
  });
}

/** Compile a fixture as a user would: every variable the file declares without a value is set. */
export function compileFixture(fixture: Fixture): CompileResult {
  const env = Array.isArray(fixture.expect.env) ? (fixture.expect.env as string[]) : [];
  const process = Object.fromEntries(env.map((name) => [name, "x"]));
  return compile({ file: fixture.file, text: fixture.config, env: { cli: [], process } });
}

const range = (r: Range | null | undefined): Facts | null =>
  r === null || r === undefined ? null : { min: r.min, max: r.max };

function resourceFacts(r: ResourcesSpec): Facts {
  const gpu = r.gpu;
  return {
    cpu: { arch: r.cpu.arch, min: r.cpu.count.min, max: r.cpu.count.max },
    memory: range(r.memory),
    shm_size: r.shm_size,
    disk: r.disk === null ? null : range(r.disk.size),
    gpu:
      gpu === null
        ? { vendor: null, names: null, count: { min: 0, max: null }, memory: null, total_memory: null }
        : {
            vendor: gpu.vendor,
            names: gpu.name,
            count: range(gpu.count),
            memory: range(gpu.memory),
            total_memory: range(gpu.total_memory),
          },
  };
}

function volumeFacts(v: VolumeMount): Facts {
  return v.kind === "network"
    ? { name: v.name, path: v.path }
    : { instance_path: v.instance_path, path: v.path, optional: v.optional };
}

const retryFacts = (spec: RunSpec | FleetSpec): Facts | null =>
  spec.retry === null ? null : { on_events: [...spec.retry.on_events].sort(), duration: spec.retry.duration };

function modelName(model: unknown): string | null {
  if (typeof model === "string") return model;
  if (typeof model === "object" && model !== null && "name" in model) return String(model.name);
  return null;
}

function runFacts(spec: RunSpec): Facts {
  const facts: Facts = { type: spec.type, image: spec.image };
  if (spec.type === "dev-environment") facts.ide = spec.ide;
  facts.resources = resourceFacts(requirementsOf(spec).resources);
  facts.privileged = spec.privileged;
  facts.spot_policy = spec.spot_policy;
  facts.backends = spec.backends;
  facts.retry = retryFacts(spec);
  facts.max_duration = spec.max_duration;
  facts.stop_duration = spec.stop_duration;
  facts.idle_duration = spec.idle_duration;
  if (spec.type === "dev-environment") facts.inactivity_duration = spec.inactivity_duration;
  facts.env = Object.keys(spec.env).sort();
  facts.volumes = spec.volumes.map(volumeFacts);
  if (spec.type !== "service")
    facts.ports = spec.ports.map((p) => ({ local: p.local, container: p.container }));
  if (spec.type === "task") {
    facts.nodes = spec.nodes;
    if (spec.groups !== null)
      facts.groups = spec.groups.map((g) => ({
        name: g.name,
        nodes: g.nodes,
        resources: resourceFacts(requirementsOf({ ...spec, resources: g.resources }).resources),
      }));
  }
  if (spec.type === "service") {
    facts.port = spec.port;
    facts.auth = spec.auth;
    facts.model = modelName(spec.model);
    facts.replicas = range(spec.replicas);
    if (spec.groups !== null)
      facts.groups = spec.groups.map((g) => ({
        name: g.name,
        replicas: range(g.replicas),
        // A group's requirements as a run of its own: its resources and image decide the GPU vendor.
        resources: resourceFacts(
          requirementsOf({ ...spec, resources: g.resources, image: g.image ?? spec.image }).resources,
        ),
      }));
  }
  return facts;
}

function fleetFacts(spec: FleetSpec): Facts {
  const facts: Facts = { type: "fleet" };
  if (spec.ssh_config !== null) facts.ssh_hosts = spec.ssh_config.hosts.map((h) => h.hostname);
  else {
    facts.resources = resourceFacts(requirementsOf(spec).resources);
    facts.nodes = { ...spec.nodes };
    facts.spot_policy = spec.spot_policy;
    facts.backends = spec.backends;
    facts.retry = retryFacts(spec);
    facts.idle_duration = spec.idle_duration;
  }
  facts.placement = spec.placement;
  facts.blocks = spec.blocks;
  return facts;
}

const volumeSpecFacts = (spec: VolumeSpec): Facts => ({
  type: "volume",
  name: spec.name,
  backend: spec.backend,
  region: spec.region,
  size: spec.size,
  external_id: spec.volume_id,
});

/** The adapter: this project's normalized spec as the facts the corpus states. */
export function factsOf(spec: Spec): Facts {
  if (spec.type === "fleet") return fleetFacts(spec);
  if (spec.type === "volume") return volumeSpecFacts(spec);
  return runFacts(spec);
}

const isPlainObject = (v: unknown): v is Facts => typeof v === "object" && v !== null && !Array.isArray(v);

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-6;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

/** Every expected fact that differs, by dotted path (objects are compared key by key). */
export function diffFacts(expected: Facts, got: Facts, prefix = ""): Omit<Disagreement, "file">[] {
  const out: Omit<Disagreement, "file">[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const have = got[key];
    if (isPlainObject(want) && isPlainObject(have)) out.push(...diffFacts(want, have, path));
    else if (!same(want, have)) out.push({ fact: path, expected: want, got: have });
  }
  return out;
}

/** GPU names compare case-insensitively: dstack (gpuhunt) matches offers by lower-cased name. */
function comparable(facts: Facts): Facts {
  return JSON.parse(JSON.stringify(facts), (key, value: unknown) =>
    key === "names" && Array.isArray(value) ? value.map((n) => String(n).toLowerCase()) : value,
  ) as Facts;
}

/** How one fixture fares: an empty list when this project agrees with dstack. */
export function checkFixture(fixture: Fixture): Disagreement[] {
  const result = compileFixture(fixture);
  const { accepted, ...facts } = fixture.expect;
  delete facts.reason;
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!accepted)
    return result.spec === null
      ? []
      : [{ file: fixture.file, fact: "accepted", expected: "rejected", got: "accepted" }];
  if (result.spec === null) {
    const got = errors.map((d) => `${d.path === "" ? "(root)" : d.path} ${d.code}: ${d.message}`);
    return [{ file: fixture.file, fact: "rejected", expected: "accepted", got }];
  }
  return diffFacts(comparable(facts), comparable(factsOf(result.spec))).map((d) => ({
    file: fixture.file,
    ...d,
  }));
}

export function measureAgreement(fixtures: Fixture[] = loadCorpus()): Agreement {
  const disagreements: Disagreement[] = [];
  const failing: string[] = [];
  let rejected = 0;
  for (const fixture of fixtures) {
    const found = checkFixture(fixture);
    if (found.length === 0) continue;
    failing.push(fixture.file);
    if (found[0]?.fact === "rejected") rejected++;
    disagreements.push(...found);
  }
  return {
    size: fixtures.length,
    agreeing: fixtures.length - failing.length,
    rejected,
    disagreements,
    failing,
  };
}

/**
 * Disagreements grouped by fact, most frequent first. A rejection counts once under each distinct error
 * it has (its key and code), so a fixture rejected for two keys is in both categories.
 */
export function categories(
  agreement: Agreement,
): { category: string; count: number; example: Disagreement }[] {
  const groups = new Map<string, Disagreement[]>();
  const add = (key: string, d: Disagreement) => groups.set(key, [...(groups.get(key) ?? []), d]);
  for (const d of agreement.disagreements) {
    if (d.fact !== "rejected" || !Array.isArray(d.got)) add(d.fact, d);
    else for (const key of new Set(d.got.map((e) => `rejected: ${String(e).split(":")[0]}`))) add(key, d);
  }
  return [...groups.entries()]
    .map(([category, list]) => ({ category, count: list.length, example: list[0]! }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}

export function formatReport(agreement: Agreement): string {
  const pct = ((100 * agreement.agreeing) / agreement.size).toFixed(1);
  const lines = [
    `dstack corpus: ${agreement.size} configurations`,
    `accepted and agreeing: ${agreement.agreeing} (${pct}%); rejected here though dstack accepts: ${agreement.rejected}`,
    "",
    "disagreements by category:",
    ...categories(agreement).map((c) => `  ${String(c.count).padStart(4)}  ${c.category}`),
    "",
    "disagreements:",
    ...agreement.disagreements.map(
      (d) => `  ${d.file}  ${d.fact}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.got)}`,
    ),
  ];
  return lines.join("\n");
}
