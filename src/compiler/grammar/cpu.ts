// `resources.cpu`: a count or range, optionally with an architecture (`x86:16`, `arm:8..`), `{arch, count}`,
// or the older `{min, max}`.
import { parseRange, type Range } from "./range.js";
import { fail, ok, type Parsed } from "./result.js";
import { parseCount } from "./units.js";

export type CpuArch = "x86" | "arm";

export interface CpuSpec {
  arch: CpuArch | null;
  count: Range;
}

const ARCH_ALIASES: Record<string, CpuArch> = {
  x86: "x86",
  x86_64: "x86",
  amd64: "x86",
  arm: "arm",
  arm64: "arm",
  aarch64: "arm",
};
export const DEFAULT_CPU_COUNT: Range = { min: 2, max: null };
const EXAMPLE = "16, 16.., x86:16, arm:8.., {arch: arm, count: 8..} or {min: 8}";

export function parseCpu(raw: unknown): Parsed<CpuSpec> {
  if (typeof raw === "number") return withArch(null, parseRange(raw, parseCount, "a CPU count", EXAMPLE));
  if (typeof raw === "string") {
    const tokens = raw.split(":").map((t) => t.trim());
    if (tokens.length > 2) return fail(`"${raw}" has too many tokens`, `e.g. ${EXAMPLE}`);
    let arch: CpuArch | null = null;
    let count: string | undefined;
    for (const token of tokens) {
      const a = ARCH_ALIASES[token.toLowerCase()];
      if (a !== undefined) {
        if (arch !== null) return fail(`"${raw}" gives the architecture twice`);
        arch = a;
      } else if (count === undefined) count = token;
      else return fail(`"${raw}" gives the CPU count twice`, `e.g. ${EXAMPLE}`);
    }
    if (count === undefined) return ok({ arch, count: DEFAULT_CPU_COUNT });
    return withArch(arch, parseRange(count, parseCount, "a CPU count", EXAMPLE));
  }
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const obj = raw as Record<string, unknown>;
    // dstack's CPUSpec still reads a bare `{min, max}` (either may be left out) as the count range.
    const keys = Object.keys(obj);
    const legacy: string[] = keys.filter((k) => k === "min" || k === "max");
    if (legacy.length > 0) {
      if (legacy.length < keys.length)
        return fail(
          `resources.cpu mixes ${legacy.join(", ")} with ${keys.filter((k) => !legacy.includes(k)).join(", ")}`,
          "write {arch: x86, count: {min: 4}} (or {min: 4} alone, the older spelling of count)",
        );
      return withArch(null, parseRange(obj, parseCount, "a CPU count", EXAMPLE));
    }
    const extra = Object.keys(obj).find((k) => k !== "arch" && k !== "count");
    if (extra !== undefined)
      return fail(
        `unknown key "${extra}" in resources.cpu`,
        "allowed keys: arch, count (or min, max alone, the older spelling of count)",
      );
    let arch: CpuArch | null = null;
    if (obj.arch !== undefined && obj.arch !== null) {
      const a = typeof obj.arch === "string" ? ARCH_ALIASES[obj.arch.toLowerCase()] : undefined;
      if (a === undefined) return fail(`arch ${JSON.stringify(obj.arch)} is not x86 or arm`);
      arch = a;
    }
    if (obj.count === undefined || obj.count === null) return ok({ arch, count: DEFAULT_CPU_COUNT });
    return withArch(arch, parseRange(obj.count, parseCount, "a CPU count", EXAMPLE));
  }
  return fail("expected a CPU count, range or `arch:count`", `e.g. ${EXAMPLE}`);
}

function withArch(arch: CpuArch | null, count: Parsed<Range>): Parsed<CpuSpec> {
  if (!count.ok) return count;
  if (count.value.max === 0) return fail("a CPU count must be at least 1");
  return ok({ arch, count: count.value });
}
