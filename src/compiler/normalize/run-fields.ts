// Fields shared by dev environments, tasks and services that need more than a shape check.
import { posix } from "node:path";
import { scalarText, type DiagnosticBag, type Path } from "../diagnostics.js";
import { parsePort, type PortMapping } from "../grammar/ports.js";
import { parseVolumeMount, type VolumeMount } from "../grammar/volumes.js";
import { Secret } from "../secret.js";
import { parseField, stringOf, type RawObject } from "./field.js";

export const PYTHON_VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"] as const;
export const NAME_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;
export const REPO_DIR = "/workflow";

export function normalizeName(raw: unknown, bag: DiagnosticBag, what: string): string | null {
  const name = stringOf(raw);
  if (name === undefined) return null;
  if (!NAME_PATTERN.test(name)) {
    const fixed = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^[^a-z]+/, "")
      .slice(0, 41);
    bag.error({
      code: "invalid-value",
      path: ["name"],
      message: `"${name}" is not a valid ${what} name: use 2 to 41 lowercase letters, digits and dashes, starting with a letter`,
      hint: NAME_PATTERN.test(fixed) ? `e.g. name: ${fixed}` : undefined,
    });
    return null;
  }
  return name;
}

/** A number as it was written (`3.10`, not 3.1); any other scalar as its value. */
export function writtenText(value: unknown, written: string | undefined): string {
  return typeof value === "number" ? (written ?? String(value)) : scalarText(value);
}

/** `python: 3.10` unquoted is the float 3.1 in YAML: read the text as written. */
export function normalizePython(
  raw: RawObject,
  written: string | undefined,
  bag: DiagnosticBag,
): string | null {
  if (raw.python === undefined || bag.hasErrorAt(["python"])) return null;
  const text = writtenText(raw.python, written);
  if (!(PYTHON_VERSIONS as readonly string[]).includes(text)) {
    bag.error({
      code: "invalid-value",
      path: ["python"],
      message: `Python ${JSON.stringify(text)} is not available`,
      hint: `use one of ${PYTHON_VERSIONS.join(", ")} (quote it: python: "3.10")`,
    });
    return null;
  }
  return text;
}

export function checkExclusive(raw: RawObject, bag: DiagnosticBag): void {
  if (raw.image === undefined) return;
  if (raw.python !== undefined && raw.python !== null) {
    bag.error({
      code: "conflict",
      path: ["python"],
      atKey: true,
      message: "cannot be used together with image",
      hint: "remove python (install it in your image) or remove image to use the base image",
    });
  }
  // dstack rejects image with python, but not with nvcc: the image simply wins.
  if (raw.nvcc === true) {
    bag.warning({
      code: "ignored",
      path: ["nvcc"],
      atKey: true,
      message: "nvcc has no effect with image: the image is run as it is",
      hint: "remove nvcc (use an image that has it) or remove image",
    });
  }
}

export function normalizeWorkingDir(raw: unknown, bag: DiagnosticBag): string {
  const dir = stringOf(raw);
  if (dir === undefined) return REPO_DIR;
  const resolved = posix.resolve(REPO_DIR, dir);
  if (resolved !== REPO_DIR && !resolved.startsWith(`${REPO_DIR}/`)) {
    bag.error({
      code: "invalid-value",
      path: ["working_dir"],
      message: `"${dir}" resolves to ${resolved}, outside the repository directory ${REPO_DIR}`,
      hint: "give a path relative to the repository, e.g. working_dir: src",
    });
  }
  return resolved;
}

const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(:[A-Za-z0-9_.][A-Za-z0-9_.-]*)?$/;

export function normalizeUser(raw: unknown, bag: DiagnosticBag): string | null {
  if (raw === undefined || bag.hasErrorAt(["user"])) return null;
  const user = scalarText(raw);
  if (!USER.test(user)) {
    bag.error({
      code: "invalid-value",
      path: ["user"],
      message: `${JSON.stringify(user)} is not a user`,
      hint: "write a name or uid, optionally with a group: ubuntu, 1000, 1000:1000",
    });
    return null;
  }
  return user;
}

export function normalizeRegistryAuth(raw: unknown): { username: string; password: Secret } | null {
  if (raw === null || typeof raw !== "object") return null;
  const { username, password } = raw as RawObject;
  if (typeof username !== "string" || typeof password !== "string") return null;
  return { username, password: new Secret(password) };
}

export function normalizePorts(raw: unknown, bag: DiagnosticBag, base: Path = ["ports"]): PortMapping[] {
  if (!Array.isArray(raw)) return [];
  const ports: PortMapping[] = [];
  const containers = new Set<number>();
  const locals = new Set<number>();
  raw.forEach((item, i) => {
    const port = parseField(bag, [...base, i], item, parsePort);
    if (port === undefined) return;
    if (containers.has(port.container)) {
      bag.error({
        code: "duplicate",
        path: [...base, i],
        message: `container port ${port.container} is listed twice`,
      });
      return;
    }
    if (port.local !== null && locals.has(port.local)) {
      bag.error({
        code: "duplicate",
        path: [...base, i],
        message: `local port ${port.local} is used twice`,
        hint: `forward it from another port, e.g. ${port.local + 1}:${port.container}, or *:${port.container}`,
      });
      return;
    }
    containers.add(port.container);
    if (port.local !== null) locals.add(port.local);
    ports.push(port);
  });
  return ports;
}

export function normalizeVolumes(raw: unknown, bag: DiagnosticBag): VolumeMount[] {
  if (!Array.isArray(raw)) return [];
  const mounts: VolumeMount[] = [];
  const paths = new Set<string>();
  raw.forEach((item, i) => {
    const mount = parseField(bag, ["volumes", i], item, parseVolumeMount);
    if (mount === undefined) return;
    if (paths.has(mount.path)) {
      bag.error({
        code: "duplicate",
        path: ["volumes", i],
        message: `two volumes are mounted at ${mount.path}`,
        hint: "mount each volume at its own path",
      });
      return;
    }
    if (mount.path === REPO_DIR || mount.path.startsWith(`${REPO_DIR}/`)) {
      bag.warning({
        code: "shadowed",
        path: ["volumes", i],
        message: `${mount.path} is inside the repository directory ${REPO_DIR}; the volume will hide the uploaded files there`,
      });
    }
    paths.add(mount.path);
    mounts.push(mount);
  });
  return mounts;
}
