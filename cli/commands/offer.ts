// `dstack offer`: what can be had, where, for how much. Compile the requirements (from -f or flags),
// match them against the bundled catalog and this machine, and print the cheapest offers.
import { explainNoMatch } from "../../src/catalog/explain.js";
import { groupOffers, parseGroupBy, type GroupField } from "../../src/catalog/group.js";
import { matchOffers } from "../../src/catalog/match.js";
import type { MatchedOffer, Offer } from "../../src/catalog/offer.js";
import { loadOffers } from "../../src/catalog/offers.js";
import { requirementsOf, type Requirements } from "../../src/catalog/requirements.js";
import { formatResources } from "../../src/compiler/format.js";
import { usageError } from "../../src/errors.js";
import type { CommandContext, Values } from "../command.js";
import { offerSpec } from "./offer-spec.js";
import { formatPrice } from "../../src/text-table.js";
import { groupsTable, offerJson, offersTable } from "./offer-render.js";

export const DEFAULT_MAX_OFFERS = 50;

export async function run(ctx: CommandContext, values: Values): Promise<number> {
  const groupBy = groupByFlag(values["group-by"]);
  const maxOffers = maxOffersFlag(values["max-offers"]);
  const spec = offerSpec(ctx, values);
  if (spec === null) return Promise.resolve(1);
  const req = requirementsOf(spec);
  const { offers } = loadOffers({ backends: req.backends, home: ctx.home });
  const matched = matchOffers(offers, req);
  const json = values.json === true;

  if (groupBy.length > 0) {
    const groups = groupOffers(matched, groupBy);
    if (json) ctx.out.json({ gpus: groups, group_by: groupBy });
    else
      ctx.out.print(
        `${header(req)}\n\n${groups.length === 0 ? " No GPU offers match." : groupsTable(groups)}`,
      );
    if (groups.length === 0) ctx.out.error(noMatchHint(offers, req));
    return Promise.resolve(0);
  }
  const shown = matched.slice(0, maxOffers);
  if (json) ctx.out.json({ offers: shown.map(offerJson), total: matched.length });
  if (matched.length === 0) {
    const message = `No offers match ${formatResources(req.resources)} (${policy(req)}).\n${noMatchHint(offers, req)}`;
    if (json) ctx.out.error(message);
    else ctx.out.print(message);
  } else if (!json) {
    ctx.out.print(`${header(req)}\n\n${offersTable(shown, matched)}`);
  }
  return Promise.resolve(0);
}

function groupByFlag(raw: Values[string]): GroupField[] {
  if (raw === undefined) return [];
  const parsed = parseGroupBy((Array.isArray(raw) ? raw : [raw]).map(String));
  if ("error" in parsed) throw usageError(`--group-by: ${parsed.error}`);
  return parsed.fields;
}

function maxOffersFlag(raw: Values[string]): number {
  if (raw === undefined) return DEFAULT_MAX_OFFERS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw usageError(`--max-offers: "${String(raw)}" is not a positive whole number`);
  return n;
}

function policy(req: Requirements): string {
  const spot = req.spot_policy === "auto" ? "spot or on-demand" : req.spot_policy;
  return req.max_price === null ? spot : `${spot}, at most ${formatPrice(req.max_price)}/h`;
}

function header(req: Requirements): string {
  const where = [req.backends?.join(", "), req.regions?.join(", "), req.instance_types?.join(", ")]
    .filter((s): s is string => s !== undefined)
    .join("; ");
  return [
    ` Resources    ${formatResources(req.resources)}`,
    ` Spot policy  ${req.spot_policy}`,
    ` Max price    ${req.max_price === null ? "-" : `${formatPrice(req.max_price)}/h`}`,
    ...(where === "" ? [] : [` Placement    ${where}`]),
  ].join("\n");
}

function noMatchHint(offers: readonly Offer[], req: Requirements): string {
  const relax = explainNoMatch(offers, req).slice(0, 3);
  if (relax.length === 0)
    return "hint: nothing in the catalog comes close; check the GPU name (e.g. --gpu A100, H100, L4, T4) and the backends";
  const parts = relax.map(
    (r) => `without ${r.drop}, ${r.matches} offer${r.matches === 1 ? "" : "s"} from ${formatPrice(r.from)}`,
  );
  return `hint: relax a requirement: ${parts.join("; ")}`;
}

export type { MatchedOffer };
