// What the configuration is merged with: the chosen profile (below it) and CLI flags (above it).
import type { DiagnosticBag } from "../diagnostics.js";
import type { Duration } from "../grammar/units.js";
import type { PlacementSpec } from "../spec.js";
import type { EnvSources } from "./env.js";
import type { PlacementLayer } from "./placement.js";
import { pickExtras, type ProfileExtrasLayer } from "./profile-extras.js";
import type { ResourcesLayer } from "./resources.js";

export interface Layers {
  profile: PlacementLayer;
  cli: { placement: PlacementLayer; resources: ResourcesLayer; name?: string };
  env: EnvSources;
  /** Where problems with CLI flags and `-e` are reported. */
  cliBag: DiagnosticBag;
  /** `dstack apply ... -- ARGS`, shell-quoted and joined: the value of ${{ run.args }}. */
  runArgs: string;
}

export const NO_LAYERS = (cliBag: DiagnosticBag): Layers => ({
  profile: {},
  cli: { placement: {}, resources: {} },
  env: { cli: [], process: {} },
  cliBag,
  runArgs: "",
});

export interface MergedPlacement extends PlacementSpec, ProfileExtrasLayer {
  max_duration?: Duration;
  stop_duration?: Duration;
  idle_duration?: Duration;
  creation_policy?: PlacementLayer["creation_policy"];
  fleets?: string[];
  pool_name?: string;
}

/** CLI flags > configuration > profile > defaults, field by field. */
export function mergePlacement(config: PlacementLayer, layers: Layers): MergedPlacement {
  const merged: PlacementLayer = { ...layers.profile, ...config, ...layers.cli.placement };
  return {
    backends: merged.backends ?? null,
    regions: merged.regions ?? null,
    availability_zones: merged.availability_zones ?? null,
    instance_types: merged.instance_types ?? null,
    reservation: merged.reservation ?? null,
    spot_policy: merged.spot_policy ?? "on-demand",
    max_price: merged.max_price ?? null,
    retry: merged.retry ?? null,
    ...pick(merged),
  };
}

function pick(layer: PlacementLayer): Partial<MergedPlacement> {
  const out: Partial<MergedPlacement> = pickExtras(layer);
  if (layer.max_duration !== undefined) out.max_duration = layer.max_duration;
  if (layer.stop_duration !== undefined) out.stop_duration = layer.stop_duration;
  if (layer.idle_duration !== undefined) out.idle_duration = layer.idle_duration;
  if (layer.creation_policy !== undefined) out.creation_policy = layer.creation_policy;
  if (layer.fleets !== undefined) out.fleets = layer.fleets;
  if (layer.pool_name !== undefined) out.pool_name = layer.pool_name;
  return out;
}
