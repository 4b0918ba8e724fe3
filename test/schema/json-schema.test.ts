// The committed JSON Schema (for editors) agrees with the compiler: it is exactly what the compiler
// generates, it accepts every seed example and shipped example, and it rejects shape failures.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// The named export: the default import of this CommonJS module does not type-check under NodeNext.
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { compile } from "../../src/compiler/compile.js";
import { renderConfig } from "../../src/compiler/render.js";
import { configurationJsonSchema } from "../../src/compiler/schema/json-schema.js";
import { INVALID, readFixture, SEEDS, ymlFiles } from "../fixtures/corpus.js";
import { configuration } from "../property/arbitraries/configs.js";
import { placedJson } from "../property/arbitraries/noise.js";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");
const committed = JSON.parse(readFileSync(join(ROOT, "schema", "dstack.schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(committed);

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith(".yml"))
  .sort();

/** Broken fixtures whose failure is one of shape (unknown key, wrong type, enum, required key). */
const SHAPE_FAILURES = [
  "unknown-key-top.yml",
  "unknown-key-nested.yml",
  "invalid-type-init.yml",
  "invalid-type-privileged.yml",
  "invalid-type-root-list.yml",
  "invalid-value-spot-policy.yml",
  "invalid-value-type.yml",
  "missing-key-task-commands.yml",
];

describe("schema/dstack.schema.json", () => {
  it("is what configurationJsonSchema() generates", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(configurationJsonSchema())));
  });

  it("covers every file in examples/", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(ymlFiles(SEEDS))("accepts seed fixture %s", (file) => {
    const data: unknown = YAML.parse(readFixture(SEEDS, file));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(examples)("accepts examples/%s", (file) => {
    const data: unknown = YAML.parse(readFixture(EXAMPLES, file));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(SHAPE_FAILURES)("rejects invalid fixture %s", (file) => {
    expect(ymlFiles(INVALID)).toContain(file);
    const data: unknown = YAML.parse(readFixture(INVALID, file));
    expect(validate(data)).toBe(false);
    expect(validate.errors?.length).toBeGreaterThan(0);
  });

  it("accepts every configuration the compiler accepts, and its rendering", () => {
    fc.assert(
      fc.property(configuration, ({ raw, env }) => {
        const text = YAML.stringify(raw);
        expect(validate(YAML.parse(text)), JSON.stringify(validate.errors)).toBe(true);
        const spec = compile({ file: "x.dstack.yml", text, env }).spec!;
        const rendered: unknown = YAML.parse(YAML.stringify(renderConfig(spec)));
        expect(validate(rendered), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects nothing the compiler accepts: a rejected document does not compile", () => {
    fc.assert(
      fc.property(placedJson, (doc) => {
        const text = YAML.stringify(doc);
        if (!validate(YAML.parse(text))) expect(compile({ file: "x.dstack.yml", text }).spec).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
