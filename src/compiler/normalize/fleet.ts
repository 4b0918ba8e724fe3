// Stage 2 for fleets: nodes, placement, SSH hosts, merge and defaults (idle 3d).
import type { DiagnosticBag } from "../diagnostics.js";
import { fail, ok, type Parsed } from "../grammar/result.js";
import { SPEC_VERSION, type FleetSpec, type SshHostSpec } from "../spec.js";
import { declareEnv, resolveEnv } from "./env.js";
import { asObject, parseField, stringOf, type RawObject } from "./field.js";
import { mergePlacement, type Layers } from "./layers.js";
import { normalizePlacement } from "./placement.js";
import { normalizeResources, resolveResources } from "./resources.js";
import { normalizeName } from "./run-fields.js";

const FLEET_IDLE_DEFAULT = 3 * 86400;
type Nodes = FleetSpec["nodes"];

export function parseNodes(raw: unknown): Parsed<Nodes> {
  if (typeof raw === "number")
    return raw >= 0 && Number.isInteger(raw)
      ? ok({ min: raw, target: raw, max: raw })
      : fail(`${raw} is not a number of nodes`);
  if (typeof raw === "string") {
    const match = /^(\d*)\s*\.\.\s*(\d*)$/.exec(raw.trim()) ?? /^(\d+)$/.exec(raw.trim());
    if (match === null)
      return fail(`"${raw}" is not a number of nodes`, "write 2, 0..4 or {min: 0, target: 1, max: 4}");
    const min = match[1] === "" ? 0 : Number(match[1]);
    const max = match[2] === undefined ? min : match[2] === "" ? null : Number(match[2]);
    return checkNodes({ min, target: min, max });
  }
  const obj = asObject(raw);
  const min = typeof obj.min === "number" ? obj.min : 0;
  const target = typeof obj.target === "number" ? obj.target : min;
  const max = typeof obj.max === "number" ? obj.max : null;
  return checkNodes({ min, target, max });
}

function checkNodes(nodes: Nodes): Parsed<Nodes> {
  if (nodes.min < 0) return fail("nodes.min cannot be negative");
  if (nodes.target < nodes.min) return fail(`target ${nodes.target} is below min ${nodes.min}`);
  if (nodes.max !== null && nodes.target > nodes.max)
    return fail(`target ${nodes.target} is above max ${nodes.max}`);
  if (nodes.max === 0) return fail("a fleet needs at least one node at most", "e.g. nodes: 0..1");
  return ok(nodes);
}

export function normalizeFleet(raw: RawObject, bag: DiagnosticBag, layers: Layers): FleetSpec {
  const placement = mergePlacement(normalizePlacement(raw, bag), layers);
  const ssh = normalizeSsh(raw.ssh_config, bag);
  if (ssh !== null && raw.resources !== undefined) {
    bag.warning({
      code: "ignored",
      path: ["resources"],
      atKey: true,
      message: "resources are ignored for SSH fleets: the hosts are what they are",
    });
  }
  let nodes = parseField(bag, ["nodes"], raw.nodes, parseNodes);
  if (nodes === undefined && ssh !== null)
    nodes = { min: ssh.hosts.length, target: ssh.hosts.length, max: ssh.hosts.length };
  if (raw.nodes === undefined && ssh === null) {
    bag.error({
      code: "missing-key",
      path: [],
      message: 'missing required key "nodes"',
      hint: "add nodes: 1 (or ssh_config with hosts)",
    });
  }
  // Like dstack, a fleet without `resources` keeps them unset (null): a backend fleet then takes any
  // instance (no cpu, memory or disk minimum), not a run's defaults. SSH hosts are what they are.
  const written = (raw.resources ?? null) !== null || Object.keys(layers.cli.resources).length > 0;
  const resources =
    ssh !== null || !written
      ? null
      : resolveResources([normalizeResources(raw.resources, bag, ["resources"]), layers.cli.resources]);
  return {
    spec_version: SPEC_VERSION,
    type: "fleet",
    name: layers.cli.name ?? normalizeName(raw.name, bag, "fleet"),
    nodes: nodes ?? { min: 1, target: 1, max: 1 },
    placement: raw.placement === "cluster" ? "cluster" : "any",
    resources,
    env: resolveEnv(declareEnv(raw.env, bag, ["env"]), layers.env, bag, layers.cliBag, ["env"]),
    blocks: typeof raw.blocks === "number" || raw.blocks === "auto" ? raw.blocks : 1,
    ssh_config: ssh,
    backends: placement.backends,
    regions: placement.regions,
    availability_zones: placement.availability_zones,
    instance_types: placement.instance_types,
    reservation: placement.reservation,
    spot_policy: placement.spot_policy,
    max_price: placement.max_price,
    retry: placement.retry,
    idle_duration: placement.idle_duration ?? FLEET_IDLE_DEFAULT,
  };
}

function normalizeSsh(raw: unknown, bag: DiagnosticBag): FleetSpec["ssh_config"] {
  if (raw === undefined || bag.hasErrorAt(["ssh_config"])) return null;
  const config = asObject(raw);
  const defaults = {
    user: stringOf(config.user) ?? null,
    port: typeof config.port === "number" ? config.port : 22,
    identity_file: stringOf(config.identity_file) ?? null,
  };
  const hosts: SshHostSpec[] = [];
  const list = Array.isArray(config.hosts) ? config.hosts : [];
  list.forEach((item: unknown, i) => {
    const host = typeof item === "string" ? { hostname: item } : asObject(item);
    const spec: SshHostSpec = {
      hostname: stringOf(host.hostname) ?? "",
      port: typeof host.port === "number" ? host.port : defaults.port,
      user: stringOf(host.user) ?? defaults.user,
      identity_file: stringOf(host.identity_file) ?? defaults.identity_file,
      internal_ip: stringOf(host.internal_ip) ?? null,
    };
    if (spec.user === null)
      bag.error({
        code: "missing-key",
        path: ["ssh_config", "hosts", i],
        message: `no user for host ${spec.hostname}`,
        hint: "set ssh_config.user or the host's user",
      });
    if (spec.identity_file === null)
      bag.error({
        code: "missing-key",
        path: ["ssh_config", "hosts", i],
        message: `no identity_file for host ${spec.hostname}`,
        hint: "set ssh_config.identity_file or the host's identity_file",
      });
    if (spec.port < 1 || spec.port > 65535)
      bag.error({
        code: "invalid-value",
        path: ["ssh_config", "hosts", i],
        message: `${spec.port} is not a port number`,
      });
    hosts.push(spec);
  });
  const jump = config.proxy_jump === undefined ? null : asObject(config.proxy_jump);
  return {
    hosts,
    proxy_jump:
      jump === null
        ? null
        : {
            hostname: String(jump.hostname),
            port: typeof jump.port === "number" ? jump.port : 22,
            user: stringOf(jump.user) ?? null,
            identity_file: stringOf(jump.identity_file) ?? null,
            internal_ip: null,
          },
    network: stringOf(config.network) ?? null,
  };
}
