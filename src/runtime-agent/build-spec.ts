// The build spec a client submits with POST /api/builds (see PROTOCOL.md, "Builds"): run commands in a
// container of a base image, commit the result and push it to a registry. Pure.
import { Fields, isObject } from "./fields.js";
import { splitImageRef } from "./image-ref.js";
import { readAuth, readEnv, NAME, type RegistryAuth } from "./spec.js";

export interface BuildSpec {
  name: string;
  base_image: string;
  /** run in order by /bin/sh with set -e: the first failing one ends the build */
  commands: string[];
  /** build-time env: exported to the commands only, never into the image nor the state file */
  env: Record<string, string>;
  /** where the result is pushed: <registry>/<repository>:<tag> */
  image: string;
  /** for the push (X-Registry-Auth) */
  registry_auth?: RegistryAuth;
  /** for the base image's pull, when it is private */
  base_registry_auth?: RegistryAuth;
  /** the commands' working directory; the uploaded repo is mounted there (not part of the image) */
  workdir: string;
  /** the client will PUT /api/builds/:name/repo; the commands start only after it arrives */
  repo_upload: boolean;
  /** labels the committed image gets (what it was built from), beside the base's own */
  labels?: Record<string, string>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readLabels(labels: unknown, f: Fields): Record<string, string> {
  if (isObject(labels) && Object.values(labels).every((v) => typeof v === "string"))
    return labels as Record<string, string>;
  f.errors.push("labels: expected an object of string values");
  return {};
}

export function parseBuildSpec(raw: unknown): { spec: BuildSpec } | { errors: string[] } {
  if (!isObject(raw)) return { errors: ["expected a JSON object"] };
  const f = new Fields(raw);
  const auth = (key: string) =>
    isObject(raw[key]) ? { [key]: readAuth(new Fields(raw[key], `${key}.`), f) } : {};
  const spec: BuildSpec = {
    name: f.str("name"),
    base_image: f.str("base_image"),
    commands: f.strList("commands"),
    env: readEnv(raw.env, f),
    image: f.str("image"),
    ...auth("registry_auth"),
    ...auth("base_registry_auth"),
    workdir: f.str("workdir", "/workflow"),
    repo_upload: f.bool("repo_upload", false),
    ...(raw.labels === undefined ? {} : { labels: readLabels(raw.labels, f) }),
  };
  if (spec.name && !NAME.test(spec.name)) f.errors.push(`name: "${spec.name}" must match ${NAME.source}`);
  if (raw.commands === undefined || (Array.isArray(raw.commands) && raw.commands.length === 0))
    f.errors.push("commands: expected at least one command");
  for (const k of Object.keys(spec.env).filter((k) => !ENV_NAME.test(k)))
    f.errors.push(`env: "${k}" is not a variable name (${ENV_NAME.source})`);
  const ref = splitImageRef(spec.image);
  if (
    spec.image &&
    (spec.image.includes("@") || !/:[\w][\w.-]*$/.test(spec.image) || ref.registry.includes("/"))
  )
    f.errors.push(
      `image: "${spec.image}" must be <registry>/<repository>:<tag>, e.g. 127.0.0.1:5000/dstack/env:abc`,
    );
  if (!spec.workdir.startsWith("/")) f.errors.push("workdir: must be an absolute path");
  return f.errors.length ? { errors: f.errors } : { spec };
}
