// Arbitraries of valid configuration fields that need care to stay valid together: env (with the
// outside values it needs), ports (distinct container and local ports), volumes (distinct paths), placement.
import fc from "fast-check";
import type { EnvSources } from "../../../src/compiler/normalize/env.js";
import { DSTACK_BACKENDS } from "../../../src/compiler/schema/backends.js";
import { RETRY_EVENTS, SPOT_POLICIES } from "../../../src/compiler/schema/fields.js";
import { duration } from "./grammar.js";

export const runName = fc.stringMatching(/^[a-z][a-z0-9-]{1,40}$/);
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);

export interface WithEnv {
  raw: Record<string, unknown>;
  env: EnvSources;
}

type EnvKind = "value" | "outside" | "cli";

/** `env` as a list or a map; names without a value get one from the process or from `-e`. */
export const env: fc.Arbitrary<{ raw: unknown; sources: EnvSources }> = fc
  .tuple(
    fc.uniqueArray(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), { maxLength: 5 }),
    fc.boolean(),
    // No `${{` in values: that would be an expression (see run-keys.ts `literal`).
    fc.array(
      fc.tuple(
        fc.constantFrom<EnvKind>("value", "outside", "cli"),
        fc.string().map((s) => s.replace(/\$\{\{/g, "${ {")),
        fc.boolean(),
      ),
      {
        minLength: 5,
        maxLength: 5,
      },
    ),
    fc.uniqueArray(fc.stringMatching(/^CLI_[A-Z0-9_]{1,8}$/), { maxLength: 2 }),
  )
  .map(([names, asList, kinds, cliOnly]) => {
    const list: string[] = [];
    const map: Record<string, unknown> = {};
    const sources = { cli: [] as string[], process: {} as Record<string, string> };
    names.forEach((name, i) => {
      const [kind, value, viaProcess] = kinds[i]!;
      if (kind === "value") {
        list.push(`${name}=${value}`);
        map[name] = value;
        return;
      }
      list.push(name);
      map[name] = null;
      if (kind === "outside") sources.process[name] = value;
      else if (viaProcess) {
        sources.cli.push(name);
        sources.process[name] = value;
      } else sources.cli.push(`${name}=${value}`);
    });
    for (const name of cliOnly) sources.cli.push(`${name}=${name.toLowerCase()}`);
    return { raw: asList ? list : map, sources };
  });

/** Distinct container ports, each as `8080`, `"8080"`, `local:container` (distinct locals) or `*:container`. */
export const ports: fc.Arbitrary<unknown[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 8 })
  .chain((all) => {
    const k = Math.floor(all.length / 2);
    return fc.array(fc.integer({ min: 0, max: 3 }), { minLength: k, maxLength: k }).map((forms) =>
      forms.map((form, i) => {
        const container = all[i]!;
        return [container, String(container), `${all[k + i]}:${container}`, `*:${container}`][form];
      }),
    );
  });

/** Mounts at distinct container paths, written in every short and long form. */
export const volumes: fc.Arbitrary<unknown[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { maxLength: 4 })
  .chain((segments) =>
    fc.tuple(
      ...segments.map((seg) =>
        fc
          .tuple(
            fc.constantFrom(`/${seg}`, `/${seg}/`, `//${seg}`, `/x/../${seg}`),
            fc.integer({ min: 0, max: 3 }),
            fc.uniqueArray(runName, { minLength: 1, maxLength: 3 }),
            fc.boolean(),
          )
          .map(([path, form, names, optional]): unknown => {
            if (form === 0) return `${names[0]}:${path}`;
            if (form === 1) return `/mnt/${seg}:${path}`;
            if (form === 2) return { name: names.length === 1 ? names[0] : names, path };
            return { instance_path: `/mnt/${seg}/data`, path, optional };
          }),
      ),
    ),
  );

const retry = fc.oneof(
  fc.boolean(),
  fc.record(
    { on_events: fc.shuffledSubarray([...RETRY_EVENTS], { minLength: 1 }), duration: duration(false) },
    { requiredKeys: [] },
  ),
);

/** Where and how to provision, including the deprecated spellings (valid, with a warning). */
export function placement(run: boolean): fc.Arbitrary<Record<string, unknown>> {
  const runOnly = run
    ? {
        creation_policy: fc.constantFrom("reuse", "reuse-or-create"),
        fleets: fc.array(word, { maxLength: 2 }),
        max_duration: duration(true),
        stop_duration: duration(true),
      }
    : {};
  return fc.record(
    {
      backends: fc.subarray([...DSTACK_BACKENDS], { maxLength: 4 }),
      regions: fc.array(word, { maxLength: 3 }),
      availability_zones: fc.array(word, { maxLength: 2 }),
      instance_types: fc.array(word, { maxLength: 2 }),
      reservation: word,
      spot_policy: fc.constantFrom(...SPOT_POLICIES),
      max_price: fc.double({ min: 0.001, max: 1000, noNaN: true }),
      idle_duration: fc.oneof(duration(true), fc.constant(-1)),
      retry,
      retry_policy: fc.record(
        { retry: fc.boolean(), duration: duration(false), limit: duration(false) },
        { requiredKeys: [] },
      ),
      termination_policy: fc.constantFrom("dont-destroy", "destroy-after-idle"),
      termination_idle_time: duration(true),
      ...runOnly,
    },
    { requiredKeys: [] },
  );
}
