// Declarations of the catalog's commands (`offer`, `catalog`), kept out of registry.ts so that file stays
// a list. Like every declaration, these import no implementation: it loads when the command runs.
import type { CommandSpec } from "./command.js";
import { CONFIG_FLAGS, CONFIG_HELP, OVERRIDE_FLAGS, OVERRIDE_HELP } from "./flags.js";

export const OFFER_COMMAND: CommandSpec = {
  name: "offer",
  summary: "list the instance offers that match a configuration or flags, cheapest first",
  usage:
    "dstack offer [-f FILE] [--gpu SPEC] [--cpu SPEC] [--memory SPEC] [--disk SPEC] [-b BACKEND]... " +
    "[-r REGION]... [--spot | --on-demand | --spot-auto] [--max-price USD] " +
    "[--group-by gpu,backend,region,count] [--max-offers N] [--json]",
  help: [
    ["--group-by FIELDS", "one row per GPU model: gpu, plus backend, region and/or count"],
    ["--max-offers N", "show at most N offers (default 50)"],
    ["-f, --file FILE", "take the requirements from this configuration (no default: without -f, flags only)"],
    ...CONFIG_HELP.filter(([flags]) => !flags.startsWith("-f")),
    ...OVERRIDE_HELP,
    ["", "Without -f: offers of any GPU vendor, spot and on-demand unless a spot flag says otherwise."],
    ["", "With -f: what that configuration would get (its spot policy; no image means NVIDIA or no GPU)."],
  ],
  options: {
    ...CONFIG_FLAGS,
    ...OVERRIDE_FLAGS,
    "group-by": { type: "string", multiple: true },
    "max-offers": { type: "string" },
  },
  load: () => import("./commands/offer.js"),
};

export const CATALOG_COMMAND: CommandSpec = {
  name: "catalog",
  summary: "refresh offer prices from the clouds' public price APIs (dstack catalog update)",
  usage: "dstack catalog update [--timeout SECONDS] [--json]",
  help: [
    ["--timeout SECONDS", "how long to wait for each request to a price API (default 5)"],
    ["--json", "print machine-readable JSON on stdout"],
    ["", "Azure prices are refreshed into ~/.dstack/catalog/azure.json; AWS and GCP are only checked."],
    ["", "DSTACK_PRICE_API_URL sends every request to another server (a mirror)."],
  ],
  options: { timeout: { type: "string" }, json: { type: "boolean" } },
  positionals: true,
  load: () => import("./commands/catalog.js"),
};
