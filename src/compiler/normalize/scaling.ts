// `replicas` counts and `scaling` rules, at the service level and in replica groups, with dstack's rules
// (dstack `core/models/configurations.py`: `_validate_replica_range`, ScalingSpec, `validate_scaling`).
import type { DiagnosticBag, Path } from "../diagnostics.js";
import { parseRange, type Range } from "../grammar/range.js";
import { fail, ok, type Parsed } from "../grammar/result.js";
import { parseCount, parseDuration } from "../grammar/units.js";
import type { ScalingSpec } from "../spec-service.js";
import { asObject, parseField } from "./field.js";

/** The rps windows the gateway computes (dstack SERVICE_SCALING_WINDOWS), and dstack's defaults. */
export const SCALING_WINDOWS = [30, 60, 300] as const;
export const SCALING_DEFAULTS = { window: 60, scale_up_delay: 300, scale_down_delay: 600 } as const;

/** `2`, `0..4`, `..4` (from 0) or {min, max}; dstack needs a maximum, since it never scales unbounded. */
export function parseReplicaCount(raw: unknown): Parsed<Range> {
  const range = parseRange(raw, parseCount, "a number of replicas", "2 or 0..4");
  if (!range.ok)
    return {
      ...range,
      hint: range.hint ?? "write a number of replicas (2) or a range with scaling rules (0..4)",
    };
  if (range.value.max === null)
    return fail(
      "the maximum number of replicas is required",
      `write a range with both ends, e.g. ${range.value.min ?? 0}..${Math.max(range.value.min ?? 0, 1) * 4}`,
    );
  return ok({ min: range.value.min ?? 0, max: range.value.max });
}

const isRange = (r: Range): boolean => r.min !== r.max;

export function normalizeScaling(raw: unknown, bag: DiagnosticBag, path: Path): ScalingSpec | null {
  if (raw === undefined || raw === null || bag.hasErrorAt(path)) return null;
  const scaling = asObject(raw);
  const seconds = (key: string): number | undefined =>
    parseField(bag, [...path, key], scaling[key], (r) => parseDuration(r, false)) as number | undefined;
  const window = seconds("window");
  if (window !== undefined && !(SCALING_WINDOWS as readonly number[]).includes(window)) {
    bag.error({
      code: "invalid-value",
      path: [...path, "window"],
      message: `a window of ${window}s is not one dstack computes`,
      hint: `use one of ${SCALING_WINDOWS.map((w) => `${w}s`).join(", ")}`,
    });
  }
  if (typeof scaling.target !== "number") return null;
  return {
    metric: "rps",
    target: scaling.target,
    window: window ?? SCALING_DEFAULTS.window,
    scale_up_delay: seconds("scale_up_delay") ?? SCALING_DEFAULTS.scale_up_delay,
    scale_down_delay: seconds("scale_down_delay") ?? SCALING_DEFAULTS.scale_down_delay,
  };
}

/**
 * A range of replicas needs scaling rules and a fixed number refuses them. `replicasKey` is how the count
 * was written (`replicas` or `count`); `written` is false when the count is the default of 1.
 */
export function checkScaling(
  replicas: Range,
  scaling: ScalingSpec | null,
  bag: DiagnosticBag,
  at: { base: Path; replicasKey: string; written: boolean; scalingWritten: boolean },
): ScalingSpec | null {
  const countPath = [...at.base, at.replicasKey];
  const scalingPath = [...at.base, "scaling"];
  if (bag.hasErrorAt(countPath) || bag.hasErrorAt(scalingPath)) return scaling;
  if (isRange(replicas) && !at.scalingWritten) {
    bag.error({
      code: "missing-key",
      path: countPath,
      message: `a range of replicas needs scaling rules`,
      hint: `add scaling: {metric: rps, target: 10}, or give one number: ${at.replicasKey}: ${replicas.max}`,
    });
    return scaling;
  }
  if (!isRange(replicas) && at.scalingWritten) {
    if (!at.written) {
      // dstack accepts this and runs one replica: the rules can never act. Say so, and drop them.
      bag.warning({
        code: "ignored",
        path: scalingPath,
        atKey: true,
        message: "scaling has no effect without a range of replicas: the service runs 1 replica",
        hint: "add a range, e.g. replicas: 1..4, or remove scaling",
      });
      return null;
    }
    bag.error({
      code: "conflict",
      path: scalingPath,
      atKey: true,
      message: `scaling needs a range of replicas, but ${at.replicasKey} is fixed at ${replicas.min}`,
      hint: `write a range, e.g. ${at.replicasKey}: ${replicas.min}..${(replicas.min ?? 0) + 2}, or remove scaling`,
    });
  }
  return scaling;
}
