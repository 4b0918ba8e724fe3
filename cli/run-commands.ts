// The commands that run things: runs on the local backend, fleets on the clouds.
import type { CommandSpec } from "./command.js";
import { CONFIG_FLAGS, CONFIG_HELP, OVERRIDE_FLAGS, OVERRIDE_HELP } from "./flags.js";

const YES = { yes: { type: "boolean", short: "y" } } as const;

export const RUN_COMMANDS: readonly CommandSpec[] = [
  {
    name: "apply",
    summary:
      "plan, provision and run a dev environment or task (local backend), create a fleet (aws, gcp, azure) or a volume (local)",
    usage:
      "dstack apply [-f FILE] [-y] [-d] [--profile NAME] [-e NAME=VALUE]... [overrides] [--backend-url URL] [-- RUN_ARGS...]",
    help: [
      ["-y, --yes", "do not ask for confirmation"],
      [
        "-d, --detach",
        "return once the run is up; under retry, hand a wait for capacity to a background process (runs and fleets)",
      ],
      ["--dry-run", "show the offers, the attempt order and the infrastructure plan; change nothing"],
      ["-- RUN_ARGS...", "a task's or service's ${{ run.args }} (shell-quoted, as dstack)"],
      ["-v, --verbose", "also show the attempt order"],
      ["--backend-url URL", "Pulumi state backend (default file://~/.dstack/state)"],
      ...CONFIG_HELP.filter(([flags]) => flags !== "--json"),
      [
        "--json",
        "print the plan and the run (or fleet) as JSON on stdout, or its failure_report (progress goes to stderr)",
      ],
      ...OVERRIDE_HELP,
    ],
    options: {
      ...CONFIG_FLAGS,
      ...OVERRIDE_FLAGS,
      ...YES,
      detach: { type: "boolean", short: "d" },
      "dry-run": { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      "backend-url": { type: "string" },
    },
    positionals: true,
    load: () => import("./commands/apply.js"),
  },
  {
    name: "ps",
    summary: "list runs and fleets with their status",
    usage: "dstack ps [-a] [-v] [--json] [--refresh]",
    help: [
      ["-a, --all", "include finished runs"],
      [
        "-v, --verbose",
        "show each run's instance and zone, and how long dev environments have been inactive",
      ],
      ["--json", "machine-readable output (`runs` and `fleets`)"],
      ["--refresh", "first read each fleet's instances back from its cloud (one Pulumi refresh per fleet)"],
    ],
    options: {
      all: { type: "boolean", short: "a" },
      verbose: { type: "boolean", short: "v" },
      json: { type: "boolean" },
      refresh: { type: "boolean" },
    },
    load: () => import("./commands/ps.js"),
  },
  {
    name: "stop",
    summary: "stop a run (its instance idles, then is torn down)",
    usage: "dstack stop NAME [-y]",
    help: [["-y, --yes", "do not ask for confirmation"]],
    options: { ...YES },
    positionals: true,
    load: () => import("./commands/stop.js"),
  },
  {
    name: "fleet",
    summary: "list the fleets (pools declared in files) with their instances, status and cost so far",
    usage: "dstack fleet [--refresh] [--json]",
    help: [
      ["--refresh", "read every fleet's stack back from its cloud first (as ps --refresh)"],
      ["--json", "machine-readable output"],
    ],
    options: { refresh: { type: "boolean" }, json: { type: "boolean" } },
    load: () => import("./commands/fleet.js"),
  },
  {
    name: "delete",
    summary: "delete a fleet: destroy its instances through its stack (volumes are kept)",
    usage: "dstack delete NAME [-y] [--force]",
    help: [
      ["-y, --yes", "do not ask for confirmation"],
      ["--force", "delete even while runs are active on its instances (they end with them)"],
    ],
    options: { ...YES, force: { type: "boolean" } },
    positionals: true,
    load: () => import("./commands/delete.js"),
  },
  {
    name: "pool",
    summary:
      "named pools of instances: add one in advance, list, ps, remove, create, delete, set-default (dstack pool ...)",
    usage:
      "dstack pool add [--pool NAME] [--name NAME] [-y] [--dry-run] [--idle-duration D] [overrides] | list [-v] [--json] | ps [--pool NAME] [-w] [--json] | remove NAME [--pool NAME] [--force] [-y] | create -n NAME | delete -n NAME [-y] | set-default --pool NAME",
    help: [
      [
        "add",
        "provision an idle instance in advance (offers, diff, [y/n]) into --pool (default: the default pool); idle_duration 72h unless given; --name names it",
      ],
      ["list", "the pools: default-pool, the created ones, one per fleet (-v: when created, where)"],
      [
        "ps",
        "their instances: status (idle, busy, provisioning), offer, idle_duration (-w: refresh every 2 s)",
      ],
      ["remove NAME", "destroy one instance through its stack"],
      ["create -n NAME", "a new, empty pool"],
      ["delete -n NAME", "an empty pool (remove its instances first)"],
      ["set-default --pool NAME", "the pool runs and pool add use without --pool"],
      ["--pool NAME", "only this pool (ps, remove); the pool to add to (add)"],
      ["--force", "remove even while runs are active on it (they end with it)"],
      ["-y, --yes", "do not ask for confirmation"],
      ["--json", "machine-readable output"],
    ],
    options: {
      ...YES,
      ...OVERRIDE_FLAGS,
      pool: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      watch: { type: "boolean", short: "w" },
      "dry-run": { type: "boolean" },
      profile: { type: "string" },
      "no-profile": { type: "boolean" },
    },
    positionals: true,
    load: () => import("./commands/pool.js"),
  },
  {
    name: "gc",
    summary:
      "list cloud resources tagged dstack-managed that no stack owns (orphans); delete them with --yes",
    usage: "dstack gc [--yes [--volumes]] [--json] [--backend-url URL]",
    help: [
      ["-y, --yes", "delete the orphans (through Pulumi: import, then destroy); volumes are kept"],
      ["--volumes", "with --yes, delete orphaned volumes too (their data is lost)"],
      ["--json", "machine-readable output"],
      [
        "--backend-url URL",
        "Pulumi state backend (default file://~/.dstack/state); records' own are read too",
      ],
    ],
    options: {
      ...YES,
      volumes: { type: "boolean" },
      json: { type: "boolean" },
      "backend-url": { type: "string" },
    },
    load: () => import("./commands/gc.js"),
  },
  {
    name: "attach",
    summary: "forward ports and follow the logs of a run",
    usage: "dstack attach NAME",
    help: [],
    options: {},
    positionals: true,
    load: () => import("./commands/attach.js"),
  },
  {
    name: "logs",
    summary: "print the output of a run",
    usage: "dstack logs NAME",
    help: [],
    options: {},
    positionals: true,
    load: () => import("./commands/logs.js"),
  },
  {
    name: "_provision",
    summary: "internal: carry on retrying a pending run in the background (apply -d under retry)",
    usage: "dstack _provision NAME",
    help: [],
    options: {},
    positionals: true,
    hidden: true,
    background: true,
    load: () => import("./commands/provision.js"),
  },
  {
    name: "_provision-fleet",
    summary: "internal: carry on retrying a pending fleet in the background (apply -d under retry)",
    usage: "dstack _provision-fleet NAME",
    help: [],
    options: {},
    positionals: true,
    hidden: true,
    background: true,
    load: () => import("./commands/provision-fleet.js"),
  },
  {
    name: "_reap",
    summary: "internal: tear down idle local instances",
    usage: "dstack _reap",
    help: [],
    options: {},
    hidden: true,
    background: true,
    load: () => import("./commands/reap.js"),
  },
];
