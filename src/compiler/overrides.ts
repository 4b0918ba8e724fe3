// CLI flags that override the configuration (highest precedence), parsed with the same grammar.
import type { DiagnosticBag } from "./diagnostics.js";
import { parseCpu } from "./grammar/cpu.js";
import { parseGpu } from "./grammar/gpu.js";
import { parseRange } from "./grammar/range.js";
import { parseDuration, parseSize } from "./grammar/units.js";
import type { Layers } from "./normalize/layers.js";
import { checkBackends } from "./normalize/backends.js";
import { parseField } from "./normalize/field.js";
import type { PlacementLayer } from "./normalize/placement.js";
import { parseDisk, type ResourcesLayer } from "./normalize/resources.js";
import { NAME_PATTERN } from "./normalize/run-fields.js";
import { SPOT_POLICIES } from "./schema/fields.js";
import type { SpotPolicy } from "./spec.js";

/** Flags as strings, exactly as typed. */
export interface RawOverrides {
  name?: string;
  gpu?: string;
  cpu?: string;
  memory?: string;
  disk?: string;
  backends?: string[];
  regions?: string[];
  instance_types?: string[];
  spot_policy?: string;
  max_price?: string;
  max_duration?: string;
  idle_duration?: string;
  retry?: boolean;
  retry_duration?: string;
  /** `--reuse`: creation_policy reuse. */
  reuse?: boolean;
  /** `--fleet NAME`: fleets. */
  fleets?: string[];
  /** `--instance NAME`: instances (by name). */
  instances?: string[];
  /** `--pool NAME`: pool_name. */
  pool_name?: string;
}

export function normalizeOverrides(raw: RawOverrides, bag: DiagnosticBag): Layers["cli"] {
  const resources: ResourcesLayer = {};
  const placement: PlacementLayer = {};
  const cpu = parseField(bag, ["--cpu"], raw.cpu, parseCpu);
  if (cpu !== undefined) resources.cpu = cpu;
  const memory = parseField(bag, ["--memory"], raw.memory, (r) =>
    parseRange(r, parseSize, "a memory size", "16GB.."),
  );
  if (memory !== undefined) resources.memory = memory;
  const disk = parseField(bag, ["--disk"], raw.disk, parseDisk);
  if (disk !== undefined) resources.disk = disk;
  const gpu = parseField(bag, ["--gpu"], raw.gpu, parseGpu);
  if (gpu !== undefined) {
    resources.gpu = gpu.spec;
    for (const warning of gpu.warnings)
      bag.warning({ code: "unknown-gpu", path: ["--gpu"], message: warning });
  }

  if (raw.backends !== undefined) {
    const backends = checkBackends(raw.backends, bag, ["--backend"], "flag");
    if (backends !== undefined) placement.backends = backends;
  }
  if (raw.regions !== undefined) placement.regions = raw.regions;
  if (raw.instance_types !== undefined) placement.instance_types = raw.instance_types;
  if (raw.spot_policy !== undefined) {
    if ((SPOT_POLICIES as readonly string[]).includes(raw.spot_policy))
      placement.spot_policy = raw.spot_policy as SpotPolicy;
    else
      bag.error({
        code: "invalid-value",
        path: ["--spot-policy"],
        message: `"${raw.spot_policy}" is not one of ${SPOT_POLICIES.join(", ")}`,
      });
  }
  if (raw.max_price !== undefined) {
    const price = Number(raw.max_price);
    if (!Number.isFinite(price) || price <= 0)
      bag.error({
        code: "invalid-value",
        path: ["--max-price"],
        message: `"${raw.max_price}" is not a positive price in USD per hour`,
        hint: "e.g. --max-price 2.5",
      });
    else placement.max_price = price;
  }
  for (const [key, flag] of [
    ["max_duration", "--max-duration"],
    ["idle_duration", "--idle-duration"],
  ] as const) {
    const value = parseField(bag, [flag], raw[key], (r) => parseDuration(r, true));
    if (value !== undefined) placement[key] = value;
  }
  const retryDuration = parseField(bag, ["--retry-duration"], raw.retry_duration, (r) =>
    parseDuration(r, false),
  );
  if (raw.retry === false) placement.retry = null;
  else if (raw.retry === true || retryDuration !== undefined) {
    placement.retry = {
      on_events: ["no-capacity", "interruption", "error"],
      duration: (retryDuration as number | undefined) ?? 3600,
    };
  }

  if (raw.reuse === true) placement.creation_policy = "reuse";
  if (raw.fleets !== undefined) placement.fleets = raw.fleets;
  if (raw.pool_name !== undefined) placement.pool_name = raw.pool_name;
  if (raw.instances !== undefined) placement.instances = raw.instances.map((name) => ({ name }));

  const cli: Layers["cli"] = { placement, resources };
  if (raw.name !== undefined) {
    if (NAME_PATTERN.test(raw.name)) cli.name = raw.name;
    else
      bag.error({
        code: "invalid-value",
        path: ["--name"],
        message: `"${raw.name}" is not a valid name`,
        hint: "use 2 to 41 lowercase letters, digits and dashes, starting with a letter",
      });
  }
  return cli;
}
