// Properties of the compiler: it never throws and always explains a failure with a positioned error;
// normalization is idempotent (compile -> render -> compile gives the same spec); the grammar's format
// functions are inverse to its parsers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { COMMAND_LINE, compile, type CompileInput } from "../../src/compiler/compile.js";
import { formatRange, parseRange, type Range } from "../../src/compiler/grammar/range.js";
import {
  formatDuration,
  formatSize,
  parseCount,
  parseDuration,
  parseSize,
} from "../../src/compiler/grammar/units.js";
import type { RawOverrides } from "../../src/compiler/overrides.js";
import { renderConfig } from "../../src/compiler/render.js";
import { CONFIGURATION_TYPES } from "../../src/compiler/schema/configurations.js";
import { Secret } from "../../src/compiler/secret.js";
import type { Spec } from "../../src/compiler/spec.js";
import { configuration, devEnvironment, fleet, service, task, volume } from "./arbitraries/configs.js";
import { EDGE_VALUES, fragment, NESTED_PATHS, placedJson, withValues, yamlish } from "./arbitraries/noise.js";

const FILE = ".dstack.yml";

/**
 * The compiler's contract on any input: no throw; either a spec and no error, or at least one error;
 * every diagnostic is positioned: line >= 1 in a file, line 0 only on the command line.
 */
function checkContract(input: CompileInput): void {
  const result = compile(input);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.spec === null) expect(errors.length).toBeGreaterThan(0);
  else {
    expect(errors).toEqual([]);
    expect(result.type).toBe(result.spec.type);
  }
  const files = [input.file, ...(input.profiles ?? []).map((p) => p.file)];
  for (const d of result.diagnostics) {
    expect(d.message).not.toBe("");
    // zod's own wording never reaches the user: every message names what is wrong.
    expect(d.message).not.toMatch(/Invalid (input|discriminator)/);
    if (d.position?.file === COMMAND_LINE) continue;
    expect(files).toContain(d.position?.file);
    expect(d.position?.line).toBeGreaterThanOrEqual(1);
    expect(d.position?.col).toBeGreaterThanOrEqual(1);
  }
}

const compileText = (text: string): void => checkContract({ file: FILE, text });

describe("the compiler never throws", () => {
  it("on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), compileText), { numRuns: 300 });
  });

  it("on arbitrary Unicode strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), compileText), { numRuns: 150 });
  });

  it("on YAML-ish text built from real keys and grammar fragments", () => {
    fc.assert(fc.property(yamlish, compileText), { numRuns: 300 });
  });

  it("on arbitrary profiles files", () => {
    const text = "type: task\ncommands: [x]\n";
    fc.assert(
      fc.property(
        fc.oneof(yamlish, fc.string()),
        fc.option(fc.string({ maxLength: 5 })),
        (profiles, name) => {
          checkContract({
            file: FILE,
            text,
            profiles: [{ file: "profiles.yml", text: profiles }],
            profile: name ?? undefined,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("on arbitrary command-line flags and -e values", () => {
    const flag = fc.oneof(fragment, fc.string({ maxLength: 8 }));
    const overrides: fc.Arbitrary<RawOverrides> = fc.record(
      {
        ...{ name: flag, gpu: flag, cpu: flag, memory: flag, disk: flag, spot_policy: flag, max_price: flag },
        ...{ max_duration: flag, idle_duration: flag, retry: fc.boolean(), retry_duration: flag },
        ...{ backends: fc.array(flag), regions: fc.array(flag), instance_types: fc.array(flag) },
      },
      { requiredKeys: [] },
    );
    const env = fc.record({
      cli: fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 3 }),
      process: fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(fc.constantFrom(...CONFIGURATION_TYPES), overrides, env, (type, flags, sources) => {
        const text = YAML.stringify(withValues(type, [[["env"], ["A", "B=1"]]]));
        checkContract({ file: FILE, text, overrides: flags, env: sources });
      }),
      { numRuns: 300 },
    );
  });

  it("on arbitrary JSON documents", () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, (value) => compileText(YAML.stringify(value))),
      { numRuns: 200 },
    );
  });

  it("on arbitrary JSON values placed under real keys", () => {
    fc.assert(
      fc.property(placedJson, (doc) => compileText(YAML.stringify(doc))),
      { numRuns: 400 },
    );
  });

  it.each(CONFIGURATION_TYPES)("on every real key of a %s holding each edge value", (type) => {
    for (const path of NESTED_PATHS)
      for (const value of EDGE_VALUES) {
        const doc = withValues(type, [[path, value]]);
        compileText(YAML.stringify(doc));
      }
  });

  it("on arbitrary entries of replica groups, probes and rate limits", () => {
    const groupKeys = ["name", "count", "replicas", "scaling", "resources", "commands", "image", "python"];
    const entryKeys = [...groupKeys, "docker", "router", "url", "method", "headers", "body", "rps", "key"];
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...EDGE_VALUES));
    const entry = fc.dictionary(fc.constantFrom(...entryKeys), value, { maxKeys: 4 });
    fc.assert(
      fc.property(
        fc.constantFrom("replicas", "groups", "probes", "rate_limits"),
        fc.array(entry, { maxLength: 3 }),
        (key, entries) =>
          compileText(YAML.stringify({ type: "service", port: 80, image: "x", [key]: entries })),
      ),
      { numRuns: 300 },
    );
  });

  // Regression: normalization once read `scaling.target` of a null `scaling` and threw.
  it("on `scaling: null` in a service", () => {
    compileText("type: service\ncommands: [x]\nport: 80\nscaling: null\n");
  });

  it.each([
    ["deep flow nesting", "type: task\ncommands: " + "[".repeat(2000) + "]".repeat(2000)],
    ["deep block nesting", Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")],
    [
      "an alias bomb",
      ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]"]
        .concat(["c: &c [*b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c]"])
        .join("\n"),
    ],
    ["an undefined alias in a merge key", "type: task\n<<: *a\n"],
    ["a merge of a sequence", "base: &b [1, 2]\ntype: task\ncommands: [x]\n<<: *b\n"],
    ["a document marker only", "---\n...\n"],
    ["two documents", "type: task\n---\ntype: fleet\n"],
    ["a tab-indented list", "type: task\ncommands:\n\t- x\n"],
    ["a byte order mark", "\uFEFFtype: task\ncommands: [x]\n"],
    ["CRLF line ends", "type: task\r\ncommands:\r\n  - x\r\n"],
  ])("on %s", (_what, text) => {
    compileText(text);
  });
});

/** The spec as plain data, secrets revealed: what a rendered configuration compiles back to. */
function plain(spec: Spec | null): unknown {
  const reveal = (value: unknown): unknown => {
    if (value instanceof Secret) return value.reveal();
    if (Array.isArray(value)) return value.map(reveal);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    return value;
  };
  return JSON.parse(JSON.stringify(reveal(spec))) as unknown;
}

const errorsOf = (text: string, input: Partial<CompileInput> = {}) => {
  const result = compile({ file: FILE, text, ...input });
  return { spec: result.spec, errors: result.diagnostics.filter((d) => d.severity === "error") };
};

describe("normalization is idempotent: compile(render(spec)) equals spec", () => {
  it.each([
    ["dev-environment", devEnvironment],
    ["task", task],
    ["service", service],
    ["fleet", fleet],
    ["volume", volume],
  ])("for generated %s configurations", (_type, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, ({ raw, env }) => {
        const first = errorsOf(YAML.stringify(raw), { env });
        expect(first.errors).toEqual([]);
        const second = errorsOf(YAML.stringify(renderConfig(first.spec!)));
        expect(second.errors).toEqual([]);
        expect(plain(second.spec)).toEqual(plain(first.spec));
      }),
      { numRuns: 150 },
    );
  });

  it("renders configurations that compile without warnings either", () => {
    fc.assert(
      fc.property(configuration, ({ raw, env }) => {
        const spec = compile({ file: FILE, text: YAML.stringify(raw), env }).spec!;
        const again = compile({ file: FILE, text: YAML.stringify(renderConfig(spec)) });
        // Unknown GPU names, volumes over /workflow, backends and keys this project cannot act on are
        // remarks on the values, not on their spelling.
        const remarks = ["unknown-gpu", "shadowed", "unsupported-backend", "no-effect-here"];
        const warnings = again.diagnostics.filter((d) => !remarks.includes(d.code));
        expect(warnings).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  // Regression: quoted and block scalars once had their quotes and indicators read into the value;
  // only plain numbers (`3.10`) are taken from the source text.
  it("reads a string version as its YAML value", () => {
    fc.assert(
      fc.property(fc.string(), (version) => {
        const { spec } = errorsOf(YAML.stringify({ type: "dev-environment", ide: "vscode", version }));
        expect(spec?.type === "dev-environment" && spec.version).toBe(version);
      }),
      { numRuns: 200, examples: [['a"'], ["x\ny"]] },
    );
  });
});

const countRange: fc.Arbitrary<Range> = fc
  .tuple(fc.option(fc.nat(10_000)), fc.option(fc.nat(10_000)))
  .filter(([a, b]) => a !== null || b !== null)
  .map(([a, b]) => (a !== null && b !== null && a > b ? { min: b, max: a } : { min: a, max: b }));

describe("grammar round trips", () => {
  it("parseRange(formatRange(r)) == r", () => {
    fc.assert(
      fc.property(countRange, (range) => {
        expect(parseRange(formatRange(range), parseCount, "a count", "2")).toEqual({
          ok: true,
          value: range,
        });
      }),
      { numRuns: 500 },
    );
  });

  it("parseDuration(formatDuration(d)) == d", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.constant("off" as const)), (d) => {
        expect(parseDuration(formatDuration(d), true)).toEqual({ ok: true, value: d });
      }),
      { numRuns: 500 },
    );
  });

  it("parseSize(formatSize(x)) == x for sizes that are whole megabytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1024 * 1024 * 1024 }), (mb) => {
        expect(parseSize(formatSize(mb / 1024))).toEqual({ ok: true, value: mb / 1024 });
      }),
      { numRuns: 500 },
    );
  });
});
