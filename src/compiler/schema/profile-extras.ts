// Raw shapes of the profile parameters dstack 0.22 has beyond the basics (core/models/profiles.py): when
// and how a run is scheduled, stopped, placed and tagged, and the duration forms dstack still reads
// (`true` for the default, -1 for an idle duration that is off). Checked further in normalize/.
// No import from fields.ts: fields.ts spreads these into profileParams.
import { z } from "zod";

export const STARTUP_ORDERS = ["any", "master-first", "workers-first"] as const;
export const STOP_CRITERIA = ["all-done", "master-done"] as const;

/** A duration dstack can switch off (`off`, false) or leave at its default (true). */
export const offableDuration = (what: string) =>
  z
    .union([z.string(), z.number().int().nonnegative(), z.boolean()], {
      error: "expected a duration such as 90s, 30m, 2h, 1d, 1w, a number of seconds, or off",
    })
    .describe(what);

/** idle_duration also takes the legacy -1 (any negative number) for off. */
export const idleDuration = (what: string) =>
  z
    .union([z.string(), z.number().int(), z.boolean()], {
      error: "expected a duration such as 90s, 30m, 2h, 1d, 1w, a number of seconds, or off",
    })
    .describe(what);

const durationValue = z.union([z.string(), z.number().int().nonnegative()], {
  error: "expected a duration such as 30m or 1h",
});

const tagValue = z.union([z.string(), z.number()], { error: "expected a text value" });

const fleetReference = z.union([
  z.string(),
  z.strictObject({ project: z.string().optional(), name: z.string() }),
]);

const instanceSelector = z.union(
  [
    z.string(),
    z.strictObject({ name: z.string().describe("The fleet instance name.") }),
    z.strictObject({ hostname: z.string().describe("The instance hostname or IP address.") }),
    z.strictObject({
      fleet: fleetReference.describe("The fleet name, or project/name."),
      instance: z.number().int().describe("The instance number in the fleet."),
    }),
  ],
  { error: "expected an instance name, {name}, {hostname}, or {fleet, instance}" },
);

/** Profile parameters (valid in runs and in profiles.yml) added by dstack after the basics. */
export const profileExtras = {
  utilization_policy: z
    .strictObject({
      min_gpu_utilization: z
        .number()
        .int()
        .min(0)
        .max(100)
        .describe("Minimum GPU utilization, percent (0..100)."),
      time_window: durationValue.describe("The window the utilization is measured over (at least 5m)."),
    })
    .optional()
    .describe("Stop the run when every sample of a GPU in the window is below min_gpu_utilization."),
  schedule: z
    .strictObject({
      cron: z
        .union([z.string(), z.array(z.string())], { error: "expected a cron expression or a list of them" })
        .describe('Cron expression(s), UTC: "0 8 * * mon-fri".'),
    })
    .optional()
    .describe("Start the run at these times (UTC) rather than at once."),
  startup_order: z
    .enum(STARTUP_ORDERS)
    .optional()
    .describe("Multi-node: the order master and workers start in (default any)."),
  stop_criteria: z
    .enum(STOP_CRITERIA)
    .optional()
    .describe("Multi-node: when the run is done (default all-done)."),
  instances: z
    .array(instanceSelector)
    .optional()
    .describe("Only these fleet instances may take the run: names, {hostname}, or {fleet, instance}."),
  tags: z
    .record(z.string(), tagValue)
    .optional()
    .describe("Tags for the run and its cloud resources: keys [A-Za-z0-9_-]{1,60}."),
};
