// The job spec a client submits with POST /api/runs (spec_version 1; see PROTOCOL.md).
import { Fields, isObject } from "./fields.js";

export const SPEC_VERSION = 1;

export type VolumeMount =
  | {
      kind: "network";
      name: string;
      path: string;
      /**
       * On a cloud VM: where the attached volume may appear in the guest, most specific first. The agent
       * mounts the first that exists (formatting an empty one); with none, a Docker volume of the name.
       */
      devices?: string[];
    }
  | { kind: "instance"; instance_path: string; path: string; optional: boolean };

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface JobSpec {
  spec_version: number;
  name: string;
  kind: "dev-environment" | "task";
  image: string;
  pull: boolean;
  registry_auth?: RegistryAuth;
  repo_id: string;
  /** the client will PUT /api/runs/:name/repo; the container starts only after it arrives */
  repo_upload: boolean;
  env: Record<string, string>;
  ports: number[];
  volumes: VolumeMount[];
  working_dir: string;
  user?: string;
  privileged: boolean;
  entrypoint?: string;
  commands: string[];
  init: string[];
  shm_size_gb: number | null;
  gpus: number;
  ssh_authorized_keys: string[];
  inactivity_duration: number | null;
  max_duration: number | null;
}

export const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseJobSpec(raw: unknown): { spec: JobSpec } | { errors: string[] } {
  if (!isObject(raw)) return { errors: ["expected a JSON object"] };
  const f = new Fields(raw);
  const version = f.num("spec_version");
  if (version !== SPEC_VERSION)
    f.errors.push(`spec_version: this agent reads ${SPEC_VERSION}, got ${version}`);
  const auth = raw.registry_auth;
  const spec: JobSpec = {
    spec_version: version,
    name: f.str("name"),
    kind: f.oneOf("kind", ["dev-environment", "task"] as const),
    image: f.str("image"),
    pull: f.bool("pull", false),
    ...(isObject(auth) ? { registry_auth: readAuth(new Fields(auth, "registry_auth."), f) } : {}),
    repo_id: f.str("repo_id", ""),
    repo_upload: f.bool("repo_upload", false),
    env: readEnv(raw.env, f),
    ports: f.list("ports").filter((p): p is number => typeof p === "number"),
    volumes: f.list("volumes").flatMap((v, i) => readVolume(v, i, f)),
    working_dir: f.str("working_dir", "/workflow"),
    user: f.optStr("user"),
    privileged: f.bool("privileged", false),
    entrypoint: f.optStr("entrypoint"),
    commands: f.strList("commands"),
    init: f.strList("init"),
    shm_size_gb: f.optNum("shm_size_gb"),
    gpus: f.num("gpus", 0),
    ssh_authorized_keys: f.strList("ssh_authorized_keys"),
    inactivity_duration: f.optNum("inactivity_duration"),
    max_duration: f.optNum("max_duration"),
  };
  if (spec.name && !NAME.test(spec.name)) f.errors.push(`name: "${spec.name}" must match ${NAME.source}`);
  if (!spec.working_dir.startsWith("/")) f.errors.push("working_dir: must be an absolute path");
  return f.errors.length ? { errors: f.errors } : { spec };
}

export function readAuth(a: Fields, f: Fields): RegistryAuth {
  const auth = { username: a.str("username"), password: a.str("password") };
  f.errors.push(...a.errors);
  return auth;
}

export function readEnv(env: unknown, f: Fields): Record<string, string> {
  if (env === undefined) return {};
  if (isObject(env) && Object.values(env).every((v) => typeof v === "string")) {
    return env as Record<string, string>;
  }
  f.errors.push("env: expected an object of string values");
  return {};
}

function readVolume(v: unknown, i: number, f: Fields): VolumeMount[] {
  if (!isObject(v)) return (f.errors.push(`volumes[${i}]: expected an object`), []);
  const g = new Fields(v, `volumes[${i}].`);
  const kind = g.oneOf("kind", ["network", "instance"] as const);
  const path = g.str("path");
  const devices = kind === "network" ? g.strList("devices") : [];
  const out: VolumeMount =
    kind === "network"
      ? { kind, name: g.str("name"), path, ...(devices.length === 0 ? {} : { devices }) }
      : { kind, instance_path: g.str("instance_path"), path, optional: g.bool("optional", false) };
  f.errors.push(...g.errors);
  return [out];
}
