// Arbitraries of whole valid configurations (dev-environment, task, service, fleet, volume), each with
// the environment sources its `env` needs.
import fc from "fast-check";
import { PYTHON_VERSIONS } from "../../../src/compiler/normalize/run-fields.js";
import { BACKENDS, IDES } from "../../../src/compiler/schema/fields.js";
import { env, placement, ports, runName, volumes, type WithEnv } from "./fields.js";
import { duration, resources } from "./grammar.js";
import { groups, literal, profileExtras, runKeys } from "./run-keys.js";
import {
  fitGroups,
  gateway,
  groups as replicaGroups,
  model,
  probes,
  rateLimits,
  replicasAndScaling,
  servicePort,
} from "./service.js";

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Drop undefined entries, so optional fields are absent rather than null. */
function defined(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}

const imageOrBase = fc.oneof(
  fc.record(
    {
      image: fc.constantFrom("ubuntu:22.04", "ghcr.io/huggingface/tgi:latest", "python"),
      nvcc: fc.constant(false),
    },
    { requiredKeys: ["image"] },
  ),
  fc.record({ python: fc.constantFrom(...PYTHON_VERSIONS), nvcc: fc.boolean() }, { requiredKeys: [] }),
  // docker-in-docker: no image, python or nvcc.
  fc.record({ docker: fc.constant(true) }),
);

const runCommon = fc.record(
  {
    name: runName,
    base: imageOrBase,
    user: fc.oneof(
      fc.integer({ min: 0, max: 65535 }),
      fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,8}(:[a-z0-9_]{1,5})?$/),
    ),
    privileged: fc.boolean(),
    entrypoint: fc.string(),
    working_dir: fc.constantFrom(".", "src", "./src/", "a/b/../c", "/workflow", "/workflow/x/"),
    registry_auth: fc.record({ username: literal, password: literal }),
    single_branch: fc.boolean(),
    env,
    resources,
    volumes,
    build: fc.array(fc.string(), { maxLength: 3 }),
    placement: placement(true),
    extras: profileExtras,
    keys: runKeys,
  },
  { requiredKeys: ["base", "placement", "extras", "keys"] },
);
type RunCommon = typeof runCommon extends fc.Arbitrary<infer C> ? C : never;

/** Spread the shared run fields into one raw configuration, and collect the env sources. */
function withRun(type: string, specific: Record<string, unknown>) {
  return (common: RunCommon): WithEnv => {
    const { base, placement: where, extras, keys, env: e, ...rest } = common;
    // dstack rejects an entrypoint in a dev environment; a task without commands needs an image.
    // dstack rejects a top-level entrypoint with node groups too.
    const entrypoint =
      type === "dev-environment" || specific.groups !== undefined ? undefined : rest.entrypoint;
    const image = "image" in base;
    const commands = specific.commands ?? (image || specific.groups !== undefined ? undefined : ["true"]);
    return {
      raw: defined({
        type,
        ...rest,
        entrypoint,
        ...base,
        ...where,
        ...extras,
        ...keys,
        env: e?.raw,
        ...specific,
        ...(type === "dev-environment" ? {} : { commands }),
      }),
      env: e?.sources ?? { cli: [], process: {} },
    };
  };
}

const commands = fc.array(literal, { minLength: 1, maxLength: 3 });

export const devEnvironment: fc.Arbitrary<WithEnv> = fc
  .tuple(
    runCommon,
    fc.record(
      {
        ide: fc.constantFrom(...IDES),
        version: fc.stringMatching(/^\d{1,2}(\.\d{1,2}){0,2}$/),
        init: fc.array(fc.string(), { maxLength: 3 }),
        inactivity_duration: duration(true),
        ports,
      },
      { requiredKeys: [] },
    ),
  )
  .map(([common, specific]) => {
    // version needs ide; windsurf's is version@commit.
    const version =
      specific.ide === undefined || specific.version === undefined
        ? undefined
        : specific.ide === "windsurf"
          ? `${specific.version}@8951cd3a`
          : specific.version;
    return withRun("dev-environment", { ...specific, version })(common);
  });

export const task: fc.Arbitrary<WithEnv> = fc
  .tuple(
    runCommon,
    fc.oneof(
      fc.record({ commands, nodes: fc.integer({ min: 1, max: 8 }), ports }, { requiredKeys: [] }),
      fc.record({ groups }),
    ),
  )
  .map(([common, specific]) => withRun("task", specific)(common));

/** A homogeneous service (replicas and scaling) or one with replica groups (`groups` or a list in `replicas`). */
const serviceReplicas = fc.oneof(
  replicasAndScaling.map((r) => ({ plain: r })),
  fc
    .tuple(replicaGroups, fc.constantFrom("groups", "replicas"))
    .map(([list, key]) => ({ grouped: { list, key } })),
);

export const service: fc.Arbitrary<WithEnv> = fc
  .tuple(
    runCommon,
    fc.record(
      {
        commands,
        port: servicePort,
        gateway,
        model,
        https: fc.oneof(fc.boolean(), fc.constant("auto")),
        auth: fc.boolean(),
        strip_prefix: fc.boolean(),
        rate_limits: rateLimits,
        probes,
      },
      { requiredKeys: ["port"] },
    ),
    serviceReplicas,
  )
  .map(([common, specific, replicas]) => {
    const built = withRun("service", specific)(common);
    const raw = built.raw;
    if ("plain" in replicas) {
      // dstack needs commands or an image.
      if (raw.commands === undefined && raw.image === undefined) raw.commands = ["serve"];
      return { ...built, raw: { ...raw, ...replicas.plain } };
    }
    // With groups, commands belong to the groups.
    delete raw.commands;
    return { ...built, raw: { ...raw, [replicas.grouped.key]: fitGroups(raw, replicas.grouped.list) } };
  });

const nodes = fc.oneof(
  fc.integer({ min: 1, max: 8 }),
  fc.tuple(fc.nat(4), fc.nat(4)).map(([a, d]) => `${a}..${Math.max(1, a + d)}`),
  fc.nat(4).map((a) => `${a}..`),
  fc.tuple(fc.nat(4), fc.nat(4), opt(fc.nat(4))).map(([min, d, up]) => {
    const target = min + d;
    return defined({ min, target, max: up === undefined ? undefined : Math.max(1, target + up) });
  }),
);

const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,15}$/);
const sshHost = fc.oneof(
  host,
  fc.record(
    { hostname: host, port: fc.integer({ min: 1, max: 65535 }), user: runName, internal_ip: fc.ipV4() },
    { requiredKeys: ["hostname"] },
  ),
);
const sshConfig = fc.record(
  {
    user: runName,
    identity_file: fc.constantFrom("~/.ssh/id_rsa", "/keys/fleet"),
    port: fc.integer({ min: 1, max: 65535 }),
    hosts: fc.array(sshHost, { minLength: 1, maxLength: 3 }),
    proxy_jump: fc.record(
      {
        hostname: host,
        port: fc.integer({ min: 1, max: 65535 }),
        user: runName,
        identity_file: fc.constant("~/.ssh/jump"),
      },
      { requiredKeys: ["hostname", "user", "identity_file"] },
    ),
    network: fc.constantFrom("10.0.0.0/24", "192.168.1.0/24"),
  },
  { requiredKeys: ["user", "identity_file", "hosts"] },
);

export const fleet: fc.Arbitrary<WithEnv> = fc
  .tuple(
    fc.record(
      {
        name: runName,
        nodes,
        placement: fc.constantFrom("any", "cluster"),
        resources,
        blocks: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant("auto")),
        idle_duration: duration(true),
      },
      { requiredKeys: ["nodes"] },
    ),
    opt(sshConfig),
    opt(env),
    placement(false),
  )
  .map(([fields, ssh, e, where]) => ({
    raw: defined({ type: "fleet", ...where, ...fields, ssh_config: ssh, env: e?.raw }),
    env: e?.sources ?? { cli: [], process: {} },
  }));

export const volume: fc.Arbitrary<WithEnv> = fc
  .record(
    {
      name: runName,
      backend: fc.constantFrom(...BACKENDS),
      region: runName,
      availability_zone: runName,
      size: fc.oneof(
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 16384 }).map((n) => `${n}GB`),
        fc.integer({ min: 1, max: 16 }).map((n) => `${n}TB`),
        fc.integer({ min: 1024, max: 65536 }).map((n) => `${n}MB`),
      ),
      volume_id: runName,
    },
    { requiredKeys: ["name", "backend"] },
  )
  .filter(
    (v) =>
      (v.backend === "local" || v.region !== undefined) &&
      (v.size !== undefined || v.volume_id !== undefined),
  )
  .map((raw) => ({ raw: { type: "volume", ...raw }, env: { cli: [], process: {} } }));

export const configuration: fc.Arbitrary<WithEnv> = fc.oneof(devEnvironment, task, service, fleet, volume);
