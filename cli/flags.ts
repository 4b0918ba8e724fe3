// Flags shared by commands that compile a configuration: -f, profiles, -e, and the overrides
// (CLI > configuration > profile).
import type { RawOverrides } from "../src/compiler/overrides.js";
import type { Options, Values } from "./command.js";

export const CONFIG_FLAGS: Options = {
  file: { type: "string", short: "f" },
  profile: { type: "string" },
  "no-profile": { type: "boolean" },
  env: { type: "string", short: "e", multiple: true },
  json: { type: "boolean" },
};

export const CONFIG_HELP: readonly [string, string][] = [
  ["-f, --file FILE", "the configuration file (default: .dstack.yml)"],
  ["--profile NAME", "use this profile from .dstack/profiles.yml or ~/.dstack/profiles.yml"],
  ["--no-profile", "use no profile, not even the default one"],
  ["-e, --env NAME=VALUE", "set an environment variable (NAME alone takes it from your environment)"],
  ["--json", "print machine-readable JSON on stdout"],
];

export const OVERRIDE_FLAGS: Options = {
  name: { type: "string", short: "n" },
  gpu: { type: "string" },
  cpu: { type: "string" },
  memory: { type: "string" },
  disk: { type: "string" },
  backend: { type: "string", short: "b", multiple: true },
  region: { type: "string", short: "r", multiple: true },
  "instance-type": { type: "string", multiple: true },
  spot: { type: "boolean" },
  "on-demand": { type: "boolean" },
  "spot-auto": { type: "boolean" },
  "spot-policy": { type: "string" },
  "max-price": { type: "string" },
  "max-duration": { type: "string" },
  "idle-duration": { type: "string" },
  retry: { type: "boolean" },
  "no-retry": { type: "boolean" },
  "retry-duration": { type: "string" },
  reuse: { type: "boolean" },
  fleet: { type: "string", multiple: true },
  instance: { type: "string", multiple: true },
  pool: { type: "string" },
};

export const OVERRIDE_HELP: readonly [string, string][] = [
  ["-n, --name NAME", "the run name"],
  ["--gpu SPEC", "GPU requirement, e.g. A100:80GB:2 (replaces resources.gpu)"],
  ["--cpu SPEC, --memory SPEC, --disk SPEC", "CPU, memory and disk requirements"],
  ["-b, --backend NAME", "consider this backend (repeatable)"],
  ["-r, --region NAME", "consider this region (repeatable)"],
  ["--instance-type NAME", "consider this instance type (repeatable)"],
  ["--spot | --on-demand | --spot-auto", "spot policy"],
  ["--max-price USD", "maximum price per hour"],
  ["--max-duration D, --idle-duration D", "durations such as 2h, 1d or off"],
  ["--retry | --no-retry, --retry-duration D", "retry policy"],
  ["--reuse", "only an idle instance, never a new one (creation_policy: reuse)"],
  ["--fleet NAME", "only the idle instances of this fleet (repeatable; fleets: [NAME])"],
  ["--instance NAME", "only this idle instance (repeatable; instances: [NAME])"],
  [
    "--pool NAME",
    "reuse an idle instance of this pool, or add the new one to it (default: the default pool)",
  ],
];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

export function overridesFrom(values: Values): RawOverrides {
  const spot =
    values.spot === true
      ? "spot"
      : values["on-demand"] === true
        ? "on-demand"
        : values["spot-auto"] === true
          ? "auto"
          : str(values["spot-policy"]);
  const out: RawOverrides = {};
  const set = <K extends keyof RawOverrides>(key: K, value: RawOverrides[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set("name", str(values.name));
  set("gpu", str(values.gpu));
  set("cpu", str(values.cpu));
  set("memory", str(values.memory));
  set("disk", str(values.disk));
  set("backends", list(values.backend));
  set("regions", list(values.region));
  set("instance_types", list(values["instance-type"]));
  set("spot_policy", spot);
  set("max_price", str(values["max-price"]));
  set("max_duration", str(values["max-duration"]));
  set("idle_duration", str(values["idle-duration"]));
  set("retry", values.retry === true ? true : values["no-retry"] === true ? false : undefined);
  set("retry_duration", str(values["retry-duration"]));
  set("reuse", values.reuse === true ? true : undefined);
  set("fleets", list(values.fleet));
  set("instances", list(values.instance));
  set("pool_name", str(values.pool));
  return out;
}
