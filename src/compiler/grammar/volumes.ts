// `volumes`: short `name:/path` (network volume) or `/host/path:/path` (instance volume),
// long `{name, path}` or `{instance_path, path, optional}`; paths normalized.
import { posix } from "node:path";
import { fail, ok, type Parsed } from "./result.js";

export type VolumeMount =
  | { kind: "network"; name: string[]; path: string }
  | { kind: "instance"; instance_path: string; path: string; optional: boolean };

export const VOLUME_NAME = /^[a-z][a-z0-9-]{1,40}$/;

export function parseVolumeMount(raw: unknown): Parsed<VolumeMount> {
  if (typeof raw === "string") return parseShort(raw);
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw))
    return parseLong(raw as Record<string, unknown>);
  return fail("expected `name:/path`, `/instance/path:/path` or an object", "e.g. my-volume:/volume_data");
}

function parseShort(raw: string): Parsed<VolumeMount> {
  const colon = raw.indexOf(":");
  if (colon === -1)
    return fail(
      `"${raw}" has no ":"`,
      "write source:destination, e.g. my-volume:/volume_data or /mnt/cache:/cache",
    );
  const source = raw.slice(0, colon).trim();
  const path = containerPath(raw.slice(colon + 1).trim());
  if (!path.ok) return path;
  if (source.startsWith("/"))
    return ok({
      kind: "instance",
      instance_path: posix.normalize(source),
      path: path.value,
      optional: false,
    });
  const name = volumeName(source);
  if (!name.ok) return name;
  return ok({ kind: "network", name: [name.value], path: path.value });
}

function parseLong(raw: Record<string, unknown>): Parsed<VolumeMount> {
  const path = containerPath(raw.path);
  if ("instance_path" in raw) {
    if ("name" in raw)
      return fail("a volume has either name (network volume) or instance_path (instance volume), not both");
    const extra = Object.keys(raw).find((k) => !["instance_path", "path", "optional"].includes(k));
    if (extra !== undefined)
      return fail(
        `unknown key "${extra}" in an instance volume`,
        "allowed keys: instance_path, path, optional",
      );
    if (typeof raw.instance_path !== "string" || !raw.instance_path.startsWith("/")) {
      return fail("instance_path must be an absolute path on the instance", "e.g. /mnt/cache");
    }
    if (raw.optional !== undefined && typeof raw.optional !== "boolean")
      return fail("optional must be true or false");
    if (!path.ok) return path;
    return ok({
      kind: "instance",
      instance_path: posix.normalize(raw.instance_path),
      path: path.value,
      optional: raw.optional === true,
    });
  }
  const extra = Object.keys(raw).find((k) => !["name", "path"].includes(k));
  if (extra !== undefined)
    return fail(
      `unknown key "${extra}" in a network volume`,
      "allowed keys: name, path (or instance_path, path, optional)",
    );
  if (raw.name === undefined)
    return fail("a volume needs name (network volume) or instance_path (instance volume)");
  const list = Array.isArray(raw.name) ? raw.name : [raw.name];
  if (list.length === 0) return fail("name is an empty list", "name one volume or a list of alternatives");
  const names: string[] = [];
  for (const item of list) {
    const name = volumeName(item);
    if (!name.ok) return name;
    names.push(name.value);
  }
  if (!path.ok) return path;
  return ok({ kind: "network", name: names, path: path.value });
}

/** A name may hold per-node expressions (`data-${{ dstack.node_rank }}`): each must give a valid name. */
function volumeName(raw: unknown): Parsed<string> {
  const sample = typeof raw === "string" ? raw.replace(/\$\{\{[^}]*\}\}/g, "0") : raw;
  if (typeof raw !== "string" || typeof sample !== "string" || !VOLUME_NAME.test(sample)) {
    return fail(
      `${JSON.stringify(raw)} is not a volume name`,
      "use 2 to 41 lowercase letters, digits and dashes, starting with a letter",
    );
  }
  return ok(raw);
}

function containerPath(raw: unknown): Parsed<string> {
  if (typeof raw !== "string" || raw.trim() === "")
    return fail("path must be an absolute path in the container", "e.g. /volume_data");
  if (!raw.startsWith("/"))
    return fail(`path "${raw}" is not absolute`, `write /${raw.replace(/^\.?\/*/, "")}`);
  const normalized = posix.normalize(raw);
  return ok(normalized.length > 1 ? normalized.replace(/\/$/, "") : normalized);
}
