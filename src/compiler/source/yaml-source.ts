// Parse a YAML file keeping source positions, so every later diagnostic can say FILE:LINE:COL.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import type { Document, Node, Pair } from "yaml";
import type { Diagnostic, Locator, Path, SourcePosition } from "../diagnostics.js";

export interface YamlSource {
  file: string;
  /** The document as plain data (aliases and `<<` merge keys resolved), or undefined when unparsable. */
  data: unknown;
  locator: Locator;
  /** The scalar exactly as written (`3.10` stays `3.10`), for fields where YAML's typing loses meaning. */
  scalarSource(path: Path): string | undefined;
  diagnostics: Diagnostic[];
}

type AnyNode = Node | Pair | null | undefined;

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

interface Found {
  /** The deepest existing node on the path. */
  node: Node | null;
  /** The key node of the last map step taken, when the last step was a map key. */
  key: Node | null;
  /** True when every segment was found. */
  complete: boolean;
}

function walk(doc: Document, path: Path): Found {
  let node: AnyNode = doc.contents;
  let key: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair: Pair | undefined = node.items.find((p) => keyOf(p) === seg);
      if (pair === undefined) return { node, key, complete: false };
      key = (pair.key as Node | null) ?? null;
      // A key with no value (`gpu:`) has a null value node: stay on the key.
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (item === undefined) return { node, key, complete: false };
      key = null;
      node = item;
    } else {
      return { node: node ?? null, key, complete: false };
    }
  }
  return { node: node ?? null, key, complete: true };
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });

  const at = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { file, line: 1, col: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const locator: Locator = {
    file,
    valueAt: (path) => at(walk(doc, path).node?.range?.[0]),
    keyAt: (path) => {
      const found = walk(doc, path);
      return at((found.complete ? found.key : null)?.range?.[0] ?? found.node?.range?.[0]);
    },
  };

  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    diagnostics.push({
      severity: "error",
      code: "yaml-syntax",
      path: "",
      message: `invalid YAML: ${firstLine(error.message)}`,
      hint: yamlHint(error.code),
      position: at(error.pos[0]),
    });
  }
  for (const warning of doc.warnings) {
    diagnostics.push({
      severity: "warning",
      code: "yaml-warning",
      path: "",
      message: firstLine(warning.message),
      position: at(warning.pos[0]),
    });
  }

  let data: unknown = undefined;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias bomb or an unresolvable alias: report it as bad input, never a stack trace.
      diagnostics.push({
        severity: "error",
        code: "yaml-syntax",
        path: "",
        message: `invalid YAML: ${error instanceof Error ? firstLine(error.message) : String(error)}`,
        position: at(0),
      });
    }
  }

  return {
    file,
    data,
    locator,
    diagnostics,
    scalarSource: (path) => {
      const found = walk(doc, path);
      // Only plain scalars: quoted and block scalars already hold exactly what was meant.
      if (!found.complete || !isScalar(found.node) || found.node.type !== Scalar.PLAIN) return undefined;
      const range = found.node.range;
      if (range === undefined || range === null) return undefined;
      return text.slice(range[0], range[1]).trim();
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case "DUPLICATE_KEY":
      return "each key may appear once in a mapping; remove or merge the duplicate";
    case "TAB_AS_INDENT":
      return "indent with spaces, not tabs";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "check the indentation and the `key: value` layout of this line";
    case "MULTIPLE_DOCS":
      return "a configuration file holds one document; put each configuration in its own *.dstack.yml file";
    default:
      return undefined;
  }
}
