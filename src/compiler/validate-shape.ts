// Stage 1: check the YAML shape against the raw zod schema and turn every zod issue into a positioned
// diagnostic with the wrong value and a fix. Grammar inside strings is stage 2 (normalize/).
import { z } from "zod";
import { scalarText, showValue, type DiagnosticBag, type Path } from "./diagnostics.js";
import { CONFIGURATION_TYPES, keysOf, SCHEMAS, type ConfigurationType } from "./schema/configurations.js";
import { closest } from "./suggest.js";

type Issue = z.core.$ZodIssue;

/** Validate `data` with `schema`; report issues under `base`. Returns true when the shape is valid. */
export function validateShape(
  schema: z.ZodType,
  data: unknown,
  bag: DiagnosticBag,
  base: Path = [],
  context?: ConfigurationType,
): boolean {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return true;
  for (const issue of result.error.issues) report(issue, data, schema, bag, base, context);
  return false;
}

function report(
  issue: Issue,
  root: unknown,
  schema: z.ZodType,
  bag: DiagnosticBag,
  base: Path,
  context?: ConfigurationType,
): void {
  const path: Path = [...base, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case "invalid_union": {
      // A required key that is absent, whose value may take several forms (`port: 8000` or `80:8000`):
      // say so, not "expected one of the alternatives".
      if (issue.input === undefined && (issue.path.length > 0 || issue.errors.length > 0)) {
        missingKey(path, schema, base, bag);
        return;
      }
      if (issue.discriminator !== undefined && issue.errors.length === 0 && !("matches" in issue)) {
        badDiscriminator(issue, path, bag);
        return;
      }
      // Report the problems of the one alternative whose type matched the input (the object form of
      // `retry`, say), rather than a generic "none of the alternatives".
      // A literal that differs (`auto` for `https: yes`) is a mismatch of the form too, not a near miss.
      const matched = issue.errors.filter(
        (branch) =>
          !branch.every(
            (i) => (i.code === "invalid_type" || i.code === "invalid_value") && i.path.length === 0,
          ),
      );
      if (matched.length === 1) {
        for (const sub of matched[0]!)
          report({ ...sub, path: [...issue.path, ...sub.path] }, root, schema, bag, base, context);
        return;
      }
      bag.error({
        code: "invalid-type",
        path,
        message: `${unionMessage(issue)}, got ${describe(issue.input)}`,
      });
      return;
    }
    case "unrecognized_keys":
      for (const key of issue.keys)
        unknownKey(
          key,
          path,
          valueAt(root, issue.path as Path),
          keysAt(schema, issue.path as Path),
          bag,
          context,
        );
      return;
    case "invalid_type": {
      if (issue.input === undefined) {
        missingKey(path, schema, base, bag);
        return;
      }
      bag.error({
        code: "invalid-type",
        path,
        message: `expected ${article(issue.expected)}, got ${describe(issue.input)}`,
      });
      return;
    }
    case "invalid_value": {
      if (issue.input === undefined) {
        missingKey(path, schema, base, bag);
        return;
      }
      const values = issue.values.map((v) => String(v));
      const near = typeof issue.input === "string" ? closest(issue.input, values) : undefined;
      bag.error({
        code: "invalid-value",
        path,
        message: `${showValue(issue.input)} is not one of ${values.join(", ")}`,
        hint: near === undefined ? undefined : `did you mean "${near}"?`,
      });
      return;
    }
    case "too_small":
      bag.error({
        code: "invalid-value",
        path,
        message:
          issue.origin === "array"
            ? `the list is empty: at least ${String(issue.minimum)} item(s) are needed`
            : `${showValue(issue.input)} is too small: the minimum is ${String(issue.minimum)}${issue.inclusive ? "" : " (exclusive)"}`,
      });
      return;
    case "too_big":
      bag.error({
        code: "invalid-value",
        path,
        message: `${showValue(issue.input)} is too big: the maximum is ${String(issue.maximum)}`,
      });
      return;
    default:
      bag.error({
        code: "invalid-value",
        path,
        message: issue.input === undefined ? issue.message : `${showValue(issue.input)}: ${issue.message}`,
      });
  }
}

/** `missing required key "port"`, with an example value when the schema declares one. */
function missingKey(path: Path, schema: z.ZodType, base: Path, bag: DiagnosticBag): void {
  const field = String(path[path.length - 1]);
  const example = exampleAt(schema, path.slice(base.length));
  bag.error({
    code: "missing-key",
    path: path.slice(0, -1),
    message: `missing required key "${field}"`,
    hint: `add ${field}: ${example === undefined ? "..." : scalarText(example)}`,
  });
}

/** A tagged mapping (`format: openai`, `type: header`) whose tag is missing or unknown. */
function badDiscriminator(
  issue: Extract<Issue, { code: "invalid_union"; inclusive?: true }>,
  path: Path,
  bag: DiagnosticBag,
): void {
  const options = (issue.options ?? []).map((o: unknown) => String(o));
  const value = valueAt(issue.input, [String(issue.discriminator)]);
  const near = typeof value === "string" ? closest(value, options) : undefined;
  bag.error({
    code: value === undefined ? "missing-key" : "invalid-value",
    path: value === undefined ? path.slice(0, -1) : path,
    message:
      value === undefined
        ? `missing required key "${String(issue.discriminator)}": one of ${options.join(", ")}`
        : `${showValue(value)} is not one of ${options.join(", ")}`,
    hint:
      near === undefined
        ? `add ${String(issue.discriminator)}: ${options[0] ?? "..."}`
        : `did you mean "${near}"?`,
  });
}

/** Zod's own union message is a bare "Invalid input": name the forms the value may take instead. */
function unionMessage(issue: Extract<Issue, { code: "invalid_union" }>): string {
  if (issue.message !== "Invalid input") return issue.message;
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((i) =>
      i.path.length > 0
        ? []
        : i.code === "invalid_type"
          ? [article(i.expected)]
          : i.code === "invalid_value"
            ? i.values.map((v) => showValue(v))
            : [],
    ),
  );
  return expected.length === 0
    ? "this value has none of the accepted forms"
    : `expected ${[...new Set(expected)].join(" or ")}`;
}

function unknownKey(
  key: string,
  parentPath: Path,
  parent: unknown,
  allowed: string[],
  bag: DiagnosticBag,
  context?: ConfigurationType,
): void {
  const siblings = parent !== null && typeof parent === "object" ? Object.keys(parent) : [];
  const near = closest(
    key,
    allowed.filter((k) => !siblings.includes(k)),
  );
  let hint: string | undefined = near === undefined ? undefined : `did you mean "${near}"?`;
  if (hint === undefined && context !== undefined && parentPath.length === 0) {
    const owners = CONFIGURATION_TYPES.filter((t) => t !== context && keysOf(t).includes(key));
    if (owners.length > 0) hint = `"${key}" belongs to type ${owners.join(" or ")}, not ${context}`;
  }
  bag.error({ code: "unknown-key", path: [...parentPath, key], atKey: true, message: "unknown key", hint });
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The keys the object schema at `path` accepts, for "did you mean" on unknown keys at any depth. */
function keysAt(schema: z.ZodType, path: Path): string[] {
  const objects = objectsAt(schema, path);
  return [...new Set(objects.flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
}

function objectsAt(schema: z.ZodType, path: Path): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "nullable" || def.type === "default")
    return objectsAt(def.innerType!, path);
  if (def.type === "union") return def.options!.flatMap((o) => objectsAt(o, path));
  if (path.length === 0) return def.type === "object" ? [schema] : [];
  const [head, ...rest] = path;
  if (def.type === "object") {
    const child = def.shape?.[String(head)];
    return child === undefined ? [] : objectsAt(child, rest);
  }
  if (def.type === "array" && typeof head === "number") return objectsAt(def.element!, rest);
  if (def.type === "record") return objectsAt(def.valueType!, rest);
  return [];
}

/** The first `examples` value declared (with `.meta`) on the schema at `path`. */
function exampleAt(schema: z.ZodType, path: Path): unknown {
  const examples = z.globalRegistry.get(schema)?.examples;
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "nullable" || def.type === "default")
    return exampleAt(def.innerType!, path);
  if (def.type === "union") {
    for (const option of def.options!) {
      const found = exampleAt(option, path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (def.type === "object") {
    const child = def.shape?.[String(head)];
    return child === undefined ? undefined : exampleAt(child, rest);
  }
  if (def.type === "array" && typeof head === "number") return exampleAt(def.element!, rest);
  if (def.type === "record") return exampleAt(def.valueType!, rest);
  return undefined;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

function article(expected: string): string {
  const word =
    expected === "int"
      ? "whole number"
      : expected === "array"
        ? "list"
        : expected === "object"
          ? "mapping"
          : expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function describe(input: unknown): string {
  if (input === null) return "null (an empty value)";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  return `${typeof input} ${showValue(input)}`;
}

/** Check `type` first, so the right schema (and the right suggestions) apply. */
export function readType(data: unknown, bag: DiagnosticBag): ConfigurationType | undefined {
  if (data === undefined || data === null) {
    bag.error({
      code: "empty-file",
      path: [],
      message: "the file is empty",
      hint: `start with type: ${CONFIGURATION_TYPES.join(" | ")}`,
    });
    return undefined;
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    bag.error({
      code: "invalid-type",
      path: [],
      message: `expected a mapping of configuration keys, got ${describe(data)}`,
      hint: "start with type: dev-environment",
    });
    return undefined;
  }
  const type = (data as Record<string, unknown>).type;
  if (type === undefined) {
    bag.error({
      code: "missing-key",
      path: [],
      message: 'missing required key "type"',
      hint: `add type: ${CONFIGURATION_TYPES.join(" | ")}`,
    });
    return undefined;
  }
  if (typeof type !== "string" || !(CONFIGURATION_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === "string" ? closest(type, CONFIGURATION_TYPES) : undefined;
    bag.error({
      code: "invalid-value",
      path: ["type"],
      message: `${showValue(type)} is not a configuration type (${CONFIGURATION_TYPES.join(", ")})`,
      hint: near === undefined ? undefined : `did you mean "${near}"?`,
    });
    return undefined;
  }
  return type as ConfigurationType;
}

export { SCHEMAS };
