// Tiny field readers for hand-validated JSON (no dependencies): each records a message instead of throwing,
// so one response lists every problem.

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Fields {
  readonly errors: string[] = [];
  constructor(
    private readonly o: Json,
    private readonly at = "",
  ) {}

  private bad(key: string, want: string): undefined {
    this.errors.push(`${this.at}${key}: expected ${want}, got ${JSON.stringify(this.o[key])}`);
    return undefined;
  }

  str(key: string, dflt?: string): string {
    const v = this.o[key] ?? dflt;
    return typeof v === "string" ? v : (this.bad(key, "a string") ?? "");
  }

  optStr(key: string): string | undefined {
    return this.o[key] === undefined || this.o[key] === null ? undefined : this.str(key);
  }

  num(key: string, dflt?: number): number {
    const v = this.o[key] ?? dflt;
    return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : (this.bad(key, "a number >= 0") ?? 0);
  }

  optNum(key: string): number | null {
    return this.o[key] === undefined || this.o[key] === null ? null : this.num(key);
  }

  bool(key: string, dflt?: boolean): boolean {
    const v = this.o[key] ?? dflt;
    return typeof v === "boolean" ? v : (this.bad(key, "true or false") ?? false);
  }

  strList(key: string): string[] {
    const v = this.o[key] ?? [];
    return Array.isArray(v) && v.every((x) => typeof x === "string")
      ? v
      : (this.bad(key, "a list of strings") ?? []);
  }

  list(key: string): unknown[] {
    const v = this.o[key] ?? [];
    return Array.isArray(v) ? (v as unknown[]) : (this.bad(key, "a list") ?? []);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], dflt?: T): T {
    const v = this.o[key] ?? dflt;
    return allowed.includes(v as T) ? (v as T) : ((this.bad(key, allowed.join(" | ")) ?? allowed[0]) as T);
  }
}
