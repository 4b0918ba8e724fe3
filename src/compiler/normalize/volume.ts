// Stage 2 for volumes: name, size, and where it lives.
import type { DiagnosticBag } from "../diagnostics.js";
import { fail, type Parsed } from "../grammar/result.js";
import { parseSize } from "../grammar/units.js";
import { VOLUME_NAME } from "../grammar/volumes.js";
import { SPEC_VERSION, type Backend, type VolumeSpec } from "../spec.js";
import { parseField, stringOf, type RawObject } from "./field.js";

function parseVolumeSize(raw: unknown): Parsed<number> {
  if (typeof raw === "string" && raw.includes(".."))
    return fail(`"${raw}" is a range; a volume has one size`, "e.g. size: 100GB");
  const size = parseSize(String(raw));
  if (size.ok && size.value < 1) return fail(`${String(raw)} is too small: a volume is at least 1GB`);
  return size;
}

export function normalizeVolume(raw: RawObject, bag: DiagnosticBag): VolumeSpec {
  const name = stringOf(raw.name) ?? "";
  if (typeof raw.name === "string" && !VOLUME_NAME.test(name)) {
    bag.error({
      code: "invalid-value",
      path: ["name"],
      message: `"${name}" is not a valid volume name`,
      hint: "use 2 to 41 lowercase letters, digits and dashes, starting with a letter",
    });
  }
  const backend = (stringOf(raw.backend) ?? "local") as Backend;
  const region = stringOf(raw.region);
  if (region === undefined && backend !== "local" && !bag.hasErrorAt(["backend"])) {
    bag.error({
      code: "missing-key",
      path: [],
      message: 'missing required key "region"',
      hint: `add the ${backend} region to create the volume in, e.g. region: ${backend === "aws" ? "us-east-1" : backend === "gcp" ? "us-central1" : "eastus"}`,
    });
  }
  const size = parseField(bag, ["size"], raw.size, parseVolumeSize) ?? null;
  const volumeId = stringOf(raw.volume_id) ?? null;
  if (raw.size === undefined && volumeId === null) {
    bag.error({
      code: "missing-key",
      path: [],
      message: 'missing required key "size"',
      hint: "add size: 100GB, or volume_id to register an existing volume",
    });
  }
  return {
    spec_version: SPEC_VERSION,
    type: "volume",
    name,
    backend,
    region: region ?? "local",
    availability_zone: stringOf(raw.availability_zone) ?? null,
    size,
    volume_id: volumeId,
  };
}
