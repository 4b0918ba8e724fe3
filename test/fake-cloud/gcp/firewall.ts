// gcp:compute/firewall:Firewall: rules change in place; name, network, project and direction replace.
import type { ResourceKind } from "../core/kind.js";
import { arr, isObject, str, text } from "../core/values.js";
import { isCidr } from "../core/addresses.js";
import { checkName, checkPlacement, COMPUTE, googleApiError, networkLink, projectOf } from "./common.js";
import type { GcpConfig } from "./config.js";

export const gcpFirewall: ResourceKind<GcpConfig> = {
  type: "gcp:compute/firewall:Firewall",
  nameProperty: "name",
  replaceOn: ["name", "network", "project", "direction"],
  check: (c, config) => {
    checkPlacement(c, config, false);
    c.required("network", "string");
    c.oneOf("direction", ["INGRESS", "EGRESS"]);
    c.type("allows", "array");
    c.type("denies", "array");
    const allows = arr(c.get("allows")) ?? [];
    const denies = arr(c.get("denies")) ?? [];
    if (allows.length > 0 === denies.length > 0)
      c.fail("allows", `exactly one of "allows" or "denies" must be set`);
    [
      ...allows.map((r, i) => [r, `allows[${i}]`] as const),
      ...denies.map((r, i) => [r, `denies[${i}]`] as const),
    ].forEach(([rule, path]) => {
      if (isObject(rule)) c.required(`${path}.protocol`, "string");
    });
    for (const p of ["sourceRanges", "destinationRanges", "targetTags", "sourceTags"]) c.type(p, "array");
    c.type("priority", "number");
  },
  id: (inputs, _serial, ctx) =>
    `projects/${projectOf(inputs, ctx.config) ?? ""}/global/firewalls/${str(inputs.name) ?? ""}`,
  render: (inputs, _ident, ctx) => {
    const project = projectOf(inputs, ctx.config) ?? "";
    const name = str(inputs.name) ?? "";
    return {
      ...inputs,
      id: `projects/${project}/global/firewalls/${name}`,
      project,
      selfLink: `${COMPUTE}projects/${project}/global/firewalls/${name}`,
      direction: inputs.direction ?? "INGRESS",
      priority: inputs.priority ?? 1000,
      creationTimestamp: "2025-01-01T00:00:00.000-08:00",
      network: networkLink(project, str(inputs.network) ?? "default"),
    };
  },
  beforeCreate: (inputs) => {
    checkName(str(inputs.name) ?? "", "creating Firewall");
    (arr(inputs.sourceRanges) ?? []).forEach((range, i) => {
      if (typeof range !== "string" || !isCidr(range))
        throw googleApiError(
          "creating Firewall",
          400,
          `Invalid value for field 'resource.sourceRanges[${i}]': '${text(range)}'. Must be a CIDR address range that is contained in the network.`,
          "invalid",
        );
    });
  },
};
