// Keys this project accepts with dstack's meaning but cannot act on yet. Each is said once, as a
// warning at the key, so a configuration written for dstack is never rejected for them and never runs
// silently differently. Keys whose effect is moot here (startup_order on one node) are not mentioned.
import type { DiagnosticBag } from "../diagnostics.js";
import type { RawObject } from "./field.js";

interface Effect {
  key: string;
  /** Whether the written value asks for something (`priority: 0` asks for nothing). */
  asks: (value: unknown) => boolean;
  message: string;
  hint: string;
}

const written = (value: unknown): boolean => value !== undefined && value !== null;

const EFFECTS: readonly Effect[] = [
  {
    key: "schedule",
    asks: written,
    message: "runs are not started on a schedule here: apply starts the run at once",
    hint: "run dstack apply from cron (or a CI schedule) at these times, and remove schedule",
  },
  {
    key: "utilization_policy",
    asks: written,
    message: "GPU utilization is not measured here, so the run is not stopped for low utilization",
    hint: "set max_duration to bound the run, or remove utilization_policy",
  },
  {
    key: "priority",
    asks: (v) => typeof v === "number" && v !== 0,
    message: "runs are provisioned in the order they are applied here: priority has no effect",
    hint: "remove priority",
  },
  {
    key: "tags",
    asks: written,
    message: "tags are kept in the spec but not yet put on the cloud resources of the run",
    hint: "remove tags, or tag the resources afterwards",
  },
  {
    key: "dstack",
    asks: (v) => v === true,
    message:
      "there is no dstack server here to make reachable from the run: the CLI works on this machine only",
    hint: "run dstack commands from your machine, or remove dstack: true",
  },
  {
    key: "stop_duration",
    // dstack's default, 5m, asks for nothing more than this project's default spec value.
    asks: (v) => written(v) && v !== "5m" && v !== 300 && v !== true,
    message: "a run is stopped with a 10 s grace period here, whatever stop_duration says",
    hint: "make the workload save its state within 10 s of SIGTERM, or remove stop_duration",
  },
];

export function warnRunEffects(raw: RawObject, bag: DiagnosticBag): void {
  for (const effect of EFFECTS) {
    if (!effect.asks(raw[effect.key]) || bag.hasErrorAt([effect.key])) continue;
    bag.warning({
      code: "no-effect-here",
      path: [effect.key],
      atKey: true,
      message: effect.message,
      hint: effect.hint,
    });
  }
}

/** Multi-node tasks run on one node at most here: say so before any instance is made. */
export function warnMultiNode(raw: RawObject, nodes: number, bag: DiagnosticBag): void {
  if (nodes <= 1) return;
  const key = raw.groups !== undefined ? "groups" : "nodes";
  if (bag.hasErrorAt([key])) return;
  bag.warning({
    code: "no-effect-here",
    path: [key],
    atKey: true,
    message: `this task needs ${nodes} nodes, and multi-node tasks are not provisioned here yet: apply refuses it`,
    hint: "run it with nodes: 1 here, or on a dstack server",
  });
}
