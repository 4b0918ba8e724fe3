// Hostile inputs: YAML-ish text built from real keys and grammar fragments, and arbitrary JSON values
// placed under real keys of otherwise valid configurations.
import fc from "fast-check";
import { CONFIGURATION_TYPES, keysOf } from "../../../src/compiler/schema/configurations.js";

const TOP_KEYS = [...new Set(CONFIGURATION_TYPES.flatMap((t) => keysOf(t)))];
const NESTED_KEYS = [
  ...["cpu", "memory", "shm_size", "gpu", "disk", "vendor", "count", "total_memory", "compute_capability"],
  ...["arch", "size", "min", "max", "target", "on_events", "duration", "limit", "username", "password"],
  ...["path", "instance_path", "optional", "hosts", "hostname", "user", "identity_file", "proxy_jump"],
  ...["metric", "scale_up_delay", "profiles", "default"],
  ...["window", "url", "method", "headers", "body", "interval", "ready_after", "prefix", "rps", "burst"],
  ...["header", "format", "router", "container_port", "local_port", "project"],
];

const FRAGMENTS = [
  ...["A100:80GB:2", "A10G,A100", "40GB..80GB:4", "nvidia", "tpu", "v2-8", "24GB", "x86:16", "arm:8.."],
  ...["16..", "512MB..", "8GB..64GB", "..", "...", ":", "::", "{", "}", "[", "]", "- ", "-", "&a", "*a"],
  ...["<<: *a", "<<", "\t", "'", '"', "|", ">", "---", "?", "#", "%YAML 1.2", "!!str", "!!binary", "!t"],
  ...["~", "null", "true", "off", "false", "2h", "1d", "-1", "0", "1e309", "0x1F", ".inf", ".nan", "3.10"],
  ...["8080:80", "*:8080", "my-volume:/data", "/mnt:/data", "HF_TOKEN", "A=1", "no-capacity", "vscode"],
  ...["dev-environment", "task", "service", "fleet", "volume", "on-demand", "é", "\u0000", "\uFEFF", ","],
  ...["rps", "http", "/health", "openai", "tgi", "ip_address", "auto", "sglang", "80:8000", "a/b"],
];

const key = fc.oneof(fc.constantFrom(...TOP_KEYS, ...NESTED_KEYS), fc.string({ maxLength: 6 }));
/** One to three grammar fragments glued together. */
export const fragment = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 3 })
  .map((f) => f.join(""));
const indent = fc.constantFrom("", "", "  ", "    ", "      ", " ", "\t", "  \t");

const line = fc.oneof(
  fc.tuple(indent, key, fc.option(fragment)).map(([i, k, v]) => `${i}${k}:${v === null ? "" : ` ${v}`}`),
  fc.tuple(indent, fragment).map(([i, v]) => `${i}- ${v}`),
  fc.tuple(indent, key, fragment).map(([i, k, v]) => `${i}- ${k}: ${v}`),
  fc.tuple(indent, fragment).map(([i, v]) => `${i}${v}`),
);

const deep = fc
  .tuple(fc.integer({ min: 1, max: 60 }), key)
  .map(([depth, k]) => Array.from({ length: depth }, (_, d) => `${" ".repeat(d * 2)}${k}:`).join("\n"));
const deepFlow = fc
  .tuple(fc.integer({ min: 1, max: 100 }), fc.constantFrom("[", "{a: ", "[{b: "))
  .map(([depth, open]) => `type: task\ncommands: ${open.repeat(depth)}x`);

/** Text that looks like a configuration: sometimes a real `type:` line, then YAML-ish lines. */
export const yamlish: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.option(fc.constantFrom(...CONFIGURATION_TYPES)), fc.array(line, { maxLength: 12 }))
    .map(([type, lines]) => [...(type === null ? [] : [`type: ${type}`]), ...lines].join("\n")),
  deep,
  deepFlow,
);

/** Places where a value of the wrong shape can hide. */
export const NESTED_PATHS: readonly string[][] = [
  ...TOP_KEYS.map((k) => [k]),
  ...["cpu", "memory", "shm_size", "gpu", "disk"].map((k) => ["resources", k]),
  ...["vendor", "name", "count", "memory", "total_memory", "compute_capability"].map((k) => [
    "resources",
    "gpu",
    k,
  ]),
  ["resources", "cpu", "count"],
  ["resources", "disk", "size"],
  ["retry", "on_events"],
  ["retry", "duration"],
  ["retry_policy", "limit"],
  ["registry_auth", "password"],
  ["ssh_config", "hosts"],
  ["ssh_config", "proxy_jump"],
  ["scaling", "target"],
  ["scaling", "window"],
  ["nodes", "max"],
  ["model", "format"],
  ["model", "name"],
  ["gateway", "name"],
  ["port", "container_port"],
  ["replicas", "max"],
];

/** Values at the edges of every shape: empty, null, wrong container, range-ish text. */
export const EDGE_VALUES: readonly unknown[] = [
  ...[null, {}, [], "", 0, -1, 1.5, true, false, "x", "..", ":", "0", "off"],
  ...[[null], [{}], [[]], { a: null }, { min: null }, { min: 2, max: 1 }, { name: null }],
];

/** A minimal valid configuration of each type, to hang wrong values on. */
const BASES: Record<string, Record<string, unknown>> = {
  "dev-environment": { type: "dev-environment", ide: "vscode" },
  task: { type: "task", commands: ["x"] },
  service: { type: "service", commands: ["x"], port: 80 },
  fleet: { type: "fleet", nodes: 1 },
  volume: { type: "volume", name: "vol", backend: "local", size: 10 },
};

function place(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = doc;
  for (const seg of path.slice(0, -1)) {
    const next = node[seg];
    node[seg] = next !== null && typeof next === "object" && !Array.isArray(next) ? next : {};
    node = node[seg] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** A minimal valid configuration of `type` with each value placed at its path. */
export function withValues(
  type: string,
  placements: readonly (readonly [readonly string[], unknown])[],
): Record<string, unknown> {
  const doc = structuredClone(BASES[type]!);
  for (const [path, value] of placements) place(doc, path, value);
  return doc;
}

export const placedJson: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(...CONFIGURATION_TYPES),
    fc.array(
      fc.tuple(
        fc.constantFrom(...NESTED_PATHS),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...EDGE_VALUES)),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([type, placements]) => withValues(type, placements));
