// The local backend's settings in ~/.dstack/config.yml: simulated availability zones and injected
// capacity faults, a testing aid for rehearsing a retry policy (README: "Rehearsing capacity failures").
//
//   backends:
//     - type: local
//       zones: [zone-a, zone-b, zone-c]
//       faults:
//         no_capacity: [zone-a, zone-b]
//         no_capacity_for: 60s                # and/or, on a condition:
//         no_capacity_until_file: capacity   # clears once ~/.dstack/capacity exists
import type { DiagnosticBag, Path } from "../compiler/diagnostics.js";
import { parseDuration } from "../compiler/grammar/units.js";
import { closest } from "../compiler/suggest.js";

export interface LocalFaults {
  /** Zones where creating an instance fails with a cloud-shaped capacity error. */
  noCapacity: string[];
  /** Seconds after the first attempt when the fault clears; null: it never does. */
  noCapacityFor: number | null;
  /** The fault clears once this file exists (as written: a relative path is ~/.dstack's). */
  noCapacityUntilFile?: string;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const ZONE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const FAULT_KEYS = ["no_capacity", "no_capacity_for", "no_capacity_until_file"];

/** A list of distinct zone names; undefined (after an error) when the value is not one. */
export function readZones(bag: DiagnosticBag, value: unknown, path: Path): string[] | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) {
    bag.error({
      code: "invalid-value",
      path,
      message: "expected a list of zone names",
      hint: "write `zones: [zone-a, zone-b, zone-c]`",
    });
    return undefined;
  }
  const zones: string[] = [];
  let ok = true;
  value.forEach((zone: unknown, i) => {
    if (typeof zone !== "string" || !ZONE.test(zone)) {
      bag.error({
        code: "invalid-value",
        path: [...path, i],
        message: `${JSON.stringify(zone)} is not a zone name`,
        hint: "letters, digits, '.', '_' and '-', e.g. zone-a",
      });
      ok = false;
    } else if (zones.includes(zone)) {
      bag.error({ code: "duplicate", path: [...path, i], message: `zone ${zone} is listed twice` });
      ok = false;
    } else zones.push(zone);
  });
  return ok ? zones : undefined;
}

function noCapacityOf(
  bag: DiagnosticBag,
  value: unknown,
  path: Path,
  zones: readonly string[],
): string[] | undefined {
  if (!Array.isArray(value)) {
    bag.error({
      code: "invalid-value",
      path,
      message: "expected a list of zones",
      hint: `write \`no_capacity: [${zones[0] ?? "zone-a"}]\``,
    });
    return undefined;
  }
  const out: string[] = [];
  value.forEach((zone: unknown, i) => {
    if (typeof zone === "string" && zones.includes(zone)) {
      if (!out.includes(zone)) out.push(zone);
      return;
    }
    const near = typeof zone === "string" ? closest(zone, zones) : undefined;
    bag.error({
      code: "invalid-value",
      path: [...path, i],
      message: `${JSON.stringify(zone)} is not one of this backend's zones (${zones.join(", ")})`,
      hint: near !== undefined ? `did you mean "${near}"?` : "add it to `zones`, or name a listed zone",
    });
  });
  return out;
}

/** `faults`, checked against the backend's `zones` (undefined when they are missing or invalid). */
export function readLocalFaults(
  bag: DiagnosticBag,
  value: unknown,
  path: Path,
  zones: readonly string[] | undefined,
): LocalFaults | undefined {
  if (value === null) return undefined;
  if (!isRecord(value)) {
    bag.error({
      code: "invalid-value",
      path,
      message: "expected a mapping like `{no_capacity: [zone-a], no_capacity_for: 60s}`",
    });
    return undefined;
  }
  for (const key of Object.keys(value).filter((k) => !FAULT_KEYS.includes(k))) {
    const near = closest(key, FAULT_KEYS);
    bag.error({
      code: "unknown-key",
      path: [...path, key],
      message: "unknown fault",
      hint: near !== undefined ? `did you mean "${near}"?` : `one of ${FAULT_KEYS.join(", ")}`,
      atKey: true,
    });
  }
  if (zones === undefined) {
    bag.error({
      code: "missing-key",
      path,
      message: "faults apply to simulated zones, and this backend lists none",
      hint: "add `zones: [zone-a, zone-b, zone-c]` to this backend",
      atKey: true,
    });
    return undefined;
  }
  const raw = value.no_capacity;
  const noCapacity =
    raw === undefined || raw === null ? [] : noCapacityOf(bag, raw, [...path, "no_capacity"], zones);
  let noCapacityFor: number | null = null;
  if (value.no_capacity_for !== undefined && value.no_capacity_for !== null) {
    const parsed = parseDuration(value.no_capacity_for, false);
    if (parsed.ok && parsed.value !== "off") noCapacityFor = parsed.value;
    else if (!parsed.ok)
      bag.error({
        code: "invalid-value",
        path: [...path, "no_capacity_for"],
        message: parsed.message,
        hint: parsed.hint,
      });
  }
  const untilFile = untilFileOf(bag, value.no_capacity_until_file, [...path, "no_capacity_until_file"]);
  if (noCapacity === undefined) return undefined;
  return {
    noCapacity,
    noCapacityFor,
    ...(untilFile === undefined ? {} : { noCapacityUntilFile: untilFile }),
  };
}

/** `no_capacity_until_file`: a path (a relative one is resolved against ~/.dstack where it is used). */
function untilFileOf(bag: DiagnosticBag, value: unknown, path: Path): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    bag.error({
      code: "invalid-value",
      path,
      message: "expected a file path",
      hint: "write `no_capacity_until_file: capacity` (then `touch ~/.dstack/capacity` clears the fault)",
    });
    return undefined;
  }
  return value;
}
