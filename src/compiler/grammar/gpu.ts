// The `resources.gpu` grammar: a count, a string of `:`-separated tokens in any order, or an object.
// Tokens are told apart exactly as dstack's `GPUSpec.parse` does: a vendor word; a token starting with a
// letter is names (comma-separated); one holding a letter elsewhere is memory (`80GB`, `16GB..32`: a bare
// end is GB, as for every size); anything else is a count (`2`, `1..8`, `0`).
import { parseVendor } from "./gpu-names.js";
import { parseGpuObject } from "./gpu-object.js";
import { finishGpu, GPU_EXAMPLE, parseNames, type GpuParse, type GpuParts } from "./gpu-spec.js";
import { parseRange } from "./range.js";
import { fail, type Parsed } from "./result.js";
import { parseCount, parseSize } from "./units.js";

export { hostArchForGpu, type GpuParse, type GpuSpec } from "./gpu-spec.js";

const COUNT_TOKEN = /^\d*(\.\.)?\d*$/;
const SIZE_END = /^(\d+(\.\d+)?|\.\d+)(mb|gb|tb)?$/i;

export function parseGpu(raw: unknown): Parsed<GpuParse> {
  if (typeof raw === "number") {
    const count = parseRange(raw, parseCount, "a GPU count", "2");
    if (!count.ok) return count;
    return finishGpu({ count: count.value }, []);
  }
  if (typeof raw === "string") return parseGpuString(raw);
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw))
    return parseGpuObject(raw as Record<string, unknown>);
  return fail("expected a GPU count, a GPU string or an object", `e.g. ${GPU_EXAMPLE}`);
}

function parseGpuString(raw: string): Parsed<GpuParse> {
  const parts: GpuParts = {};
  const warnings: string[] = [];
  // dstack drops every space first: `A100 : 2` and `RTX 4090` are `A100:2` and `RTX4090`.
  for (const token of raw.replace(/ /g, "").split(":")) {
    if (token === "")
      return fail(`"${raw}" has an empty token`, `separate tokens with single colons, e.g. ${GPU_EXAMPLE}`);
    const problem = classify(token, parts, raw, warnings);
    if (problem !== undefined) return problem;
  }
  return finishGpu(parts, warnings);
}

function classify(
  token: string,
  parts: GpuParts,
  raw: string,
  warnings: string[],
): Parsed<never> | undefined {
  const vendor = parseVendor(token);
  if (vendor !== undefined) {
    if (parts.vendor !== undefined) return fail(`"${raw}" names the vendor twice`);
    parts.vendor = vendor;
    return undefined;
  }
  if (/^[A-Za-z]/.test(token)) {
    if (parts.names !== undefined) {
      return fail(
        `"${raw}" names GPUs in two tokens ("${parts.names.join(",")}" and "${token}")`,
        "list alternatives in one token: A10G,A100",
      );
    }
    const names = parseNames(token.split(","), warnings);
    if (!names.ok) return names;
    parts.names = names.value;
    return undefined;
  }
  const memory = /[A-Za-z]/.test(token);
  if (memory ? !token.split("..").every((end) => end === "" || SIZE_END.test(end)) : !COUNT_TOKEN.test(token))
    return fail(
      `"${token}" in "${raw}" is neither a GPU count nor a memory size`,
      "counts look like 2 or 1..8, memory like 80GB, 40GB..80GB or 16GB..32 (GB)",
    );
  if (memory) {
    if (parts.memory !== undefined) return fail(`"${raw}" gives the GPU memory twice`);
    const range = parseRange(token, parseSize, "a GPU memory size", "80GB or 40GB..80GB");
    if (!range.ok) return range;
    parts.memory = range.value;
    return undefined;
  }
  if (parts.count !== undefined) return fail(`"${raw}" gives the GPU count twice`);
  const count = parseRange(token, parseCount, "a GPU count", "2 or 1..8");
  if (!count.ok) return count;
  parts.count = count.value;
  return undefined;
}
