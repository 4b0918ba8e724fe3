// Cloud Asset Inventory's search, the one list call @pulumi/gcp offers across resource kinds
// (`cloudasset.getSearchAllResources`, pulumi-gcp 9.37.0): what `dstack gc` asks for instances, TPU
// VMs and disks by label. It reads the store, so a resource seeded behind the engine's back is found
// like one a stack created. Scope: one project; query: `labels.<key>=<value>` / `labels.<key>:<value>`
// terms joined by AND; anything else fails loudly rather than matching everything.
import type { Invoke } from "../core/kind.js";
import type { StoredResource } from "../core/store.js";
import { arr, isObject, str, type JsonObject } from "../core/values.js";
import type { GcpConfig } from "./config.js";

const TOKEN = "gcp:cloudasset/getSearchAllResources:getSearchAllResources";

/** Pulumi type -> asset type and the API host of its full resource name. */
const ASSETS: Record<string, { assetType: string; host: string; state: string }> = {
  "gcp:compute/instance:Instance": {
    assetType: "compute.googleapis.com/Instance",
    host: "compute.googleapis.com",
    state: "RUNNING",
  },
  "gcp:compute/disk:Disk": {
    assetType: "compute.googleapis.com/Disk",
    host: "compute.googleapis.com",
    state: "READY",
  },
  "gcp:compute/firewall:Firewall": {
    assetType: "compute.googleapis.com/Firewall",
    host: "compute.googleapis.com",
    state: "",
  },
  "gcp:tpu/v2Vm:V2Vm": { assetType: "tpu.googleapis.com/Node", host: "tpu.googleapis.com", state: "READY" },
};

type Term = { key: string; value: string };

function parseQuery(query: string | undefined): Term[] {
  if (query === undefined || query.trim() === "") return [];
  return query.split(/\s+AND\s+/).map((term) => {
    const m = /^labels\.([a-z0-9_-]+)[=:]([a-z0-9_-]*)$/.exec(term.trim());
    if (m === null)
      throw new Error(
        `fake-cloud (gcp): getSearchAllResources query term "${term}" is not modelled (modelled: labels.<key>=<value> joined by AND)`,
      );
    return { key: m[1] ?? "", value: m[2] ?? "" };
  });
}

function labelsOf(r: StoredResource): Record<string, string> {
  const labels = isObject(r.outputs.effectiveLabels) ? r.outputs.effectiveLabels : r.outputs.labels;
  if (!isObject(labels)) return {};
  return Object.fromEntries(
    Object.entries(labels).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );
}

/** `projects/<p>/zones/<z>/...` -> project and location (`global` for global resources). */
function placeOf(id: string): { project: string; location: string } {
  const parts = id.split("/");
  const project = parts[1] ?? "";
  const location = parts[2] === "zones" || parts[2] === "locations" ? (parts[3] ?? "") : "global";
  return { project, location };
}

function result(r: StoredResource, asset: { assetType: string; host: string; state: string }): JsonObject {
  const { project, location } = placeOf(r.id);
  const name = r.id.split("/").pop() ?? r.id;
  return {
    assetType: asset.assetType,
    name: `//${asset.host}/${r.id}`,
    displayName: name,
    description: str(r.outputs.description) ?? "",
    location,
    labels: labelsOf(r),
    networkTags: arr(r.outputs.tags) ?? [],
    createTime: str(r.outputs.creationTimestamp) ?? r.createdAt,
    updateTime: r.updatedAt ?? r.createdAt,
    state: asset.state,
    project: `projects/${project}`,
    folders: [],
    kmsKeys: [],
    organization: "",
    parentAssetType: "",
    parentFullResourceName: "",
  };
}

const search: Invoke<GcpConfig> = (args, _config, resources) => {
  const scope = str(args.scope);
  const project = scope === undefined ? undefined : /^projects\/([^/]+)$/.exec(scope)?.[1];
  if (project === undefined)
    throw new Error(
      `fake-cloud (gcp): getSearchAllResources scope "${String(scope)}" is not modelled (modelled: projects/<project id>)`,
    );
  const types = (arr(args.assetTypes) ?? []).filter((t): t is string => typeof t === "string");
  const terms = parseQuery(str(args.query));
  const results = Object.values(resources)
    .sort((a, b) => a.serial - b.serial)
    .flatMap((r) => {
      const asset = ASSETS[r.type];
      if (asset === undefined || placeOf(r.id).project !== project) return [];
      if (types.length > 0 && !types.includes(asset.assetType)) return [];
      const labels = labelsOf(r);
      return terms.every((t) => labels[t.key] === t.value) ? [result(r, asset)] : [];
    });
  return {
    id: scope ?? "",
    scope: scope ?? "",
    ...(args.query === undefined ? {} : { query: args.query }),
    ...(args.assetTypes === undefined ? {} : { assetTypes: args.assetTypes }),
    results,
  };
};

export const gcpInvokes: Record<string, Invoke<GcpConfig>> = { [TOKEN]: search };
