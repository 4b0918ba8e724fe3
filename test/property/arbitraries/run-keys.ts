// Arbitraries of the run keys added for dstack 0.22: docker, shell, priority, the profile extras
// (utilization_policy, schedule, startup_order, stop_criteria, instances, tags) and task node groups.
import fc from "fast-check";
import { STARTUP_ORDERS, STOP_CRITERIA } from "../../../src/compiler/schema/profile-extras.js";
import { ports, runName } from "./fields.js";
import { resources } from "./grammar.js";

/** Text with no `${{` (which would be an expression): `$` and `$$` stay, to exercise escaping. */
export const literal: fc.Arbitrary<string> = fc.string().map((s) => s.replace(/\$\{\{/g, "${ {"));

const cronField = (values: string[]) => fc.constantFrom(...values);
export const cron: fc.Arbitrary<string> = fc
  .tuple(
    cronField(["*", "0", "*/15", "0-30/5", "5,10"]),
    cronField(["*", "8", "9-17", "*/2"]),
    cronField(["*", "1", "last", "1-15"]),
    cronField(["*", "jan", "1-6", "*/3"]),
    cronField(["*", "mon-fri", "0", "sat,sun"]),
  )
  .map((fields) => fields.join(" "));

const tagKey = fc.stringMatching(/^[_\-a-zA-Z0-9]{1,20}$/);
const tagValue = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9 .:/=_\-+@]{0,20}$/),
  fc.integer({ min: 0, max: 999 }),
);

const instance = fc.oneof(
  runName,
  runName.map((name) => ({ name })),
  fc.ipV4().map((hostname) => ({ hostname })),
  fc
    .tuple(fc.option(runName, { nil: undefined }), runName, fc.nat(8), fc.boolean())
    .map(([p, f, i, asObject]) => ({
      fleet: asObject
        ? p === undefined
          ? { name: f }
          : { project: p, name: f }
        : p === undefined
          ? f
          : `${p}/${f}`,
      instance: i,
    })),
);

/** Profile parameters valid in runs and profiles. */
export const profileExtras: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    utilization_policy: fc.record({
      min_gpu_utilization: fc.integer({ min: 0, max: 100 }),
      time_window: fc.oneof(
        fc.integer({ min: 5, max: 600 }).map((m) => `${m}m`),
        fc.integer({ min: 300, max: 86_400 }),
      ),
    }),
    schedule: fc.record({ cron: fc.oneof(cron, fc.array(cron, { minLength: 1, maxLength: 3 })) }),
    startup_order: fc.constantFrom(...STARTUP_ORDERS),
    stop_criteria: fc.constantFrom(...STOP_CRITERIA),
    instances: fc.array(instance, { minLength: 1, maxLength: 3 }),
    tags: fc.dictionary(tagKey, tagValue, { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);

export const runKeys: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    shell: fc.constantFrom("sh", "bash", "/usr/bin/zsh", "/bin/bash"),
    priority: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: [] },
);

/** Node groups with distinct names (or unnamed: named by index), each with commands. */
export const groups: fc.Arbitrary<unknown[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name, i) =>
        fc.record(
          {
            name: fc.constant(name),
            nodes: fc.integer({ min: 1, max: 4 }),
            resources,
            commands: fc
              .array(literal, { minLength: 1, maxLength: 2 })
              .map((c) => [...c, `echo \${{ groups[0].nodes[0].IP_ADDRESS }} ${i}`]),
            ports,
          },
          { requiredKeys: ["commands"] },
        ),
      ),
    ),
  );
