// The one output host of a toolkit session (modelled on the AWS CDK toolkit's IoHost): everything the
// library has to say goes through `notify` as a message with a stable code, a level and its human text
// (plus structured data for machines); every question goes through `confirm`. The CLI renders them
// (cli/io-host.ts); tests record them.

export type IoLevel = "debug" | "info" | "warn" | "error" | "result";

export interface IoMessage<T = unknown> {
  /** Stable, dotted: what happened (see IO_CODES). Scripts switch on it, never on `text`. */
  code: IoCode;
  level: IoLevel;
  /** The human text, as a terminal shows it (no trailing newline, except for raw run logs). */
  text: string;
  data?: T;
}

export interface IoHost {
  notify(message: IoMessage): void;
  /** A yes/no question; hosts that cannot ask answer `defaultAnswer` or refuse (a typed UserError). */
  confirm(question: string, defaultAnswer?: boolean): Promise<boolean>;
}

/** Every code the toolkit emits. Adding one is fine; renaming one breaks scripts. */
export const IO_CODES = [
  // a command failed (the CLI: a UserError's code, hint and exit code in data)
  "command.failed",
  // a record dstack cannot read (skipped by listings)
  "records.unreadable",
  // records left in ~/.dstack from before a shared backend (they stay personal)
  "records.personal",
  // recovery after a killed dstack
  "recovery.cleaned",
  "recovery.failed",
  // instances that stopped themselves (idle backstop) or vanished while no reaper watched
  "reconcile.gone",
  "reconcile.failed",
  // apply: the plan, then provisioning and submission
  "plan.offers",
  "plan.diff",
  // what the plan costs per hour and at worst while idle (data: the numbers of --json `cost`)
  "plan.cost",
  // the prebuilt image of a configuration's `build` a run starts from (or that is built first)
  "plan.prebuilt",
  "provision.progress",
  "provision.attempt",
  "provision.wait",
  "provision.resume",
  "provision.submitted",
  "fleet.resume",
  "fleet.provisioned",
  "fleet.refresh",
  "fleet.gone",
  "fleet.cancel",
  "fleet.destroy",
  "stack.notice",
  // runs
  "run.status",
  "run.log",
  "port.forward",
  // image builds (dstack build, apply --build): the key, the build's own output, the pushed image
  "build.key",
  "build.log",
  "build.done",
  // the reaper daemon
  "reaper.interrupted",
  "reaper.failed-run",
  "reaper.destroyed",
  "reaper.error",
  "reaper.exit",
  // gc: what it reads, what it cannot search, what it deletes
  "gc.step",
  "gc.unsearched",
  "gc.delete",
] as const;

export type IoCode = (typeof IO_CODES)[number];

/** A host that says nothing and answers every question with its default (or no). */
export const silentIoHost: IoHost = {
  notify: () => undefined,
  confirm: (_question, defaultAnswer) => Promise.resolve(defaultAnswer ?? false),
};
