// Arbitraries of valid grammar values, as a user writes them: sizes, ranges, counts, durations, cpu, gpu.
import fc from "fast-check";
import {
  GPU_VENDORS,
  KNOWN_GPU_NAMES,
  lookupGpu,
  type GpuVendor,
} from "../../../src/compiler/grammar/gpu-names.js";

/** A value as written, and its number (GB for sizes) so range ends can be ordered. */
export interface Written {
  text: string | number;
  value: number;
}

const caseOf = (text: string): fc.Arbitrary<string> =>
  fc.constantFrom(text, text.toLowerCase(), text.toUpperCase());

/** A size with a unit (`512MB`, `80GB`, `1TB`, any case). */
export const sizeWithUnit: fc.Arbitrary<Written> = fc.oneof(
  fc.integer({ min: 1, max: 2048 }).chain((n) => caseOf(`${n}GB`).map((text) => ({ text, value: n }))),
  fc.integer({ min: 1, max: 8192 }).chain((n) => caseOf(`${n}MB`).map((text) => ({ text, value: n / 1024 }))),
  fc.integer({ min: 1, max: 4 }).chain((n) => caseOf(`${n}TB`).map((text) => ({ text, value: n * 1024 }))),
);

/** A size with a unit, or a bare number of GB. */
export const size: fc.Arbitrary<Written> = fc.oneof(
  sizeWithUnit,
  fc.integer({ min: 1, max: 512 }).map((n) => ({ text: n, value: n })),
);

export const count = (min: number, max: number): fc.Arbitrary<Written> =>
  fc.integer({ min, max }).map((n) => ({ text: n, value: n }));

/** `a`, `a..`, `..b` or `a..b` (a <= b) as text. */
export function rangeText(end: fc.Arbitrary<Written>): fc.Arbitrary<string> {
  return fc.oneof(
    end.map((e) => String(e.text)),
    end.map((e) => `${e.text}..`),
    end.map((e) => `..${e.text}`),
    fc
      .tuple(end, end)
      .map(([a, b]) => (a.value <= b.value ? `${a.text}..${b.text}` : `${b.text}..${a.text}`)),
  );
}

/** A range as text, as the bare scalar, or as `{min, max}`. */
export function rangeRaw(end: fc.Arbitrary<Written>): fc.Arbitrary<unknown> {
  const object = fc.tuple(end, end, fc.constantFrom("both", "min", "max")).map(([a, b, which]) => {
    const [lo, hi] = a.value <= b.value ? [a, b] : [b, a];
    return which === "both"
      ? { min: lo.text, max: hi.text }
      : which === "min"
        ? { min: lo.text }
        : { max: hi.text };
  });
  return fc.oneof(
    rangeText(end),
    end.map((e) => e.text),
    object,
  );
}

const durationUnit = fc.constantFrom("s", "m", "h", "d", "w", "S", "M", "H", "D", "");

/** A duration (`90s`, `2h`, `1W`, a number of seconds); with `off`, also `off` and `false`. */
export function duration(off: boolean): fc.Arbitrary<string | number | boolean> {
  const written = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 500 }), durationUnit).map(([n, unit]) => `${n}${unit}`),
    fc.integer({ min: 0, max: 10_000_000 }),
  );
  return off ? fc.oneof(written, fc.constant("off"), fc.constant(false)) : written;
}

const arch = fc.constantFrom("x86", "arm", "x86_64", "amd64", "arm64", "aarch64", "X86", "ARM");
const cpuCount = count(1, 128);

export const cpu: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 128 }),
  rangeText(cpuCount),
  fc
    .tuple(arch, rangeText(cpuCount), fc.boolean())
    .map(([a, c, archFirst]) => (archFirst ? `${a}:${c}` : `${c}:${a}`)),
  arch,
  fc.record({ arch, count: rangeRaw(cpuCount) }, { requiredKeys: [] }),
  // The older `{min, max}` spelling of the count, which dstack still reads.
  rangeRaw(cpuCount).filter((r) => typeof r === "object"),
);

const TPUS = ["v2-8", "v3-8", "v4-8", "v5litepod-8", "v5e-8", "v5p-8", "v6e-8", "tpu-v3-8"];
// Names dstack infers no vendor from: unknown to gpuhunt, or known spellings without a vendor there.
const VENDORLESS = ["X9000", "tt-loudbox", "A30", "V520"];
const namesOf = (vendor: GpuVendor): string[] =>
  vendor === "google" ? TPUS : KNOWN_GPU_NAMES.filter((n) => lookupGpu(n)?.vendor === vendor);

/** One vendor's part of a GPU request: the vendor as written (or not), and some of its GPU names. */
const vendorAndNames = fc.oneof(
  fc.constantFrom(...GPU_VENDORS).chain((vendor) =>
    fc.record({
      vendor: fc.constant<GpuVendor | null>(vendor),
      written: fc.option(vendor === "google" ? fc.constantFrom("google", "tpu", "TPU") : caseOf(vendor), {
        nil: undefined,
      }),
      names: fc.subarray(namesOf(vendor), { maxLength: 3 }).chain((names) => fc.tuple(...names.map(caseOf))),
    }),
  ),
  fc.record({
    vendor: fc.constant<GpuVendor | null>(null),
    written: fc.constant(undefined),
    names: fc.subarray(VENDORLESS, { minLength: 1, maxLength: 2 }),
  }),
);

const gpuCount = count(0, 8);

/** The string form: vendor, names, memory and count tokens, in any order. */
export const gpuString: fc.Arbitrary<string> = fc
  .tuple(
    vendorAndNames,
    // Memory with a unit on at least one end (`16GB..32`: the bare end is GB too).
    fc.option(
      rangeText(size).filter((t) => /[a-z]/i.test(t)),
      { nil: undefined },
    ),
    fc.option(rangeText(gpuCount), { nil: undefined }),
  )
  .chain(([v, memory, n]) => {
    const tokens = [v.written, v.names.length > 0 ? v.names.join(",") : undefined, memory, n].filter(
      (t): t is string => t !== undefined,
    );
    if (tokens.length === 0) tokens.push("1");
    return fc.shuffledSubarray(tokens, { minLength: tokens.length, maxLength: tokens.length });
  })
  .map((tokens) => tokens.join(":"));

/** The object form; compute_capability only for NVIDIA. */
export const gpuObject: fc.Arbitrary<Record<string, unknown>> = vendorAndNames.chain((v) =>
  fc
    .record(
      {
        vendor: fc.constant(v.written ?? v.vendor),
        name: fc.constantFrom<unknown>(v.names, v.names.join(",")),
        count: rangeRaw(gpuCount),
        memory: rangeRaw(size),
        total_memory: rangeRaw(size),
        compute_capability:
          v.vendor === "nvidia" ? fc.constantFrom<unknown>(7.5, 8, "8.6", "9.0") : fc.constant(undefined),
      },
      { requiredKeys: [] },
    )
    .map((gpu) => {
      // An empty name list is an error by design; drop it (and undefined entries) instead.
      const { name, ...rest } = gpu;
      const out: Record<string, unknown> = Object.fromEntries(
        Object.entries(rest).filter(([, x]) => x !== undefined),
      );
      if (name !== "" && !(Array.isArray(name) && name.length === 0) && name !== undefined) out.name = name;
      return out;
    }),
);

export const gpu: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 8 }),
  gpuString,
  gpuObject,
  fc.constantFrom("0", "nvidia:0", "amd:0", { count: 0 }),
);

export const resources: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    cpu,
    memory: rangeRaw(size),
    shm_size: size.map((s) => s.text),
    // A bare `{min, max}` is not a disk; `{size: {min, max}}` is.
    disk: fc.oneof(
      rangeText(size),
      size.map((s) => s.text),
      rangeRaw(size).map((r) => ({ size: r })),
    ),
    gpu,
  },
  { requiredKeys: [] },
);
