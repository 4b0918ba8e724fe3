// Every problem found while compiling a configuration, collected rather than thrown (DESIGN.md style 3),
// each carrying its file position, dotted path, the wrong value and a fix (style 4).

export type Severity = "error" | "warning";

export interface SourcePosition {
  file: string;
  /** 1-based line; 0 when the problem is not in a file (a command-line flag, the environment). */
  line: number;
  /** 1-based column; 0 when unknown. */
  col: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine code, e.g. `unknown-key`, `invalid-value`. */
  code: string;
  /** Dotted path of the offending field (`resources.gpu`, `volumes[0].path`), empty for the whole file. */
  path: string;
  message: string;
  /** How to fix it, when we know. */
  hint?: string;
  position: SourcePosition | null;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export function dottedPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

/** Where diagnostics of one source (a file, the command line) are positioned. */
export interface Locator {
  readonly file: string;
  /** Position of the value at `path`, or of the nearest existing parent. */
  valueAt(path: Path): SourcePosition;
  /** Position of the key at the end of `path` (falls back to the value). */
  keyAt(path: Path): SourcePosition;
}

export interface DiagnosticInput {
  code: string;
  path: Path;
  message: string;
  hint?: string;
  /** Point at the key rather than the value (unknown or deprecated keys). */
  atKey?: boolean;
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  constructor(private locator: Locator) {}

  /** Report later problems against another source (a profile file, the command line). */
  withLocator(locator: Locator): DiagnosticBag {
    const bag = new DiagnosticBag(locator);
    // Share storage so one bag collects everything of one compile.
    (bag as { items: Diagnostic[] }).items = this.items;
    return bag;
  }

  get file(): string {
    return this.locator.file;
  }

  error(d: DiagnosticInput): void {
    this.push("error", d);
  }

  warning(d: DiagnosticInput): void {
    this.push("warning", d);
  }

  hasErrorAt(path: Path): boolean {
    const dotted = dottedPath(path);
    return this.items.some(
      (d) =>
        d.severity === "error" &&
        (d.path === dotted || d.path.startsWith(dotted + ".") || d.path.startsWith(dotted + "[")),
    );
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === "error").length;
  }

  private push(severity: Severity, d: DiagnosticInput): void {
    const position = d.atKey ? this.locator.keyAt(d.path) : this.locator.valueAt(d.path);
    const item: Diagnostic = {
      severity,
      code: d.code,
      path: dottedPath(d.path),
      message: d.message,
      position,
    };
    if (d.hint !== undefined) item.hint = d.hint;
    this.items.push(item);
  }
}

/** A locator for sources without positions: the command line, the process environment. */
export function flatLocator(file: string): Locator {
  const position = (): SourcePosition => ({ file, line: 0, col: 0 });
  return { file, valueAt: position, keyAt: position };
}

export function hasErrors(items: readonly Diagnostic[]): boolean {
  return items.some((d) => d.severity === "error");
}

export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  return [...items].sort((a, b) => {
    const fa = a.position?.file ?? "";
    const fb = b.position?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (
      (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0)
    );
  });
}

/** `FILE:LINE:COL: error|warning: message` then an indented hint line. */
export function formatDiagnostic(d: Diagnostic): string {
  const p = d.position;
  const where = p === null ? "" : p.line > 0 ? `${p.file}:${p.line}:${p.col}: ` : `${p.file}: `;
  const subject = d.path === "" ? "" : `${d.path}: `;
  const head = `${where}${d.severity}: ${subject}${d.message}`;
  return d.hint === undefined ? head : `${head}\n  hint: ${d.hint}`;
}

/** Quote a user value for a message, short enough to read. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "nothing";
  else text = scalarText(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Text of a scalar as a user would write it; JSON for anything else. */
export function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return "(unprintable value)";
  }
}
