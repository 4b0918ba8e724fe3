// gcp:tpu/v2Vm:V2Vm: a single-host TPU VM with one network endpoint (external IP only with
// networkConfig.enableExternalIps). Its data disks must exist, in its zone.
import { publicIp } from "../core/addresses.js";
import type { Checker } from "../core/check-kit.js";
import { CloudError, type Ctx, type FaultSubject, type Ident, type ResourceKind } from "../core/kind.js";
import { basename, generated } from "../core/render.js";
import { arr, obj, str, type JsonObject } from "../core/values.js";
import { checkMetadata, checkName, checkPlacement, placed, privateIp, regionOfZone } from "./common.js";
import { effectiveLabels, type GcpConfig } from "./config.js";
import { requireServiceAccount } from "./iam.js";

const DISK = "gcp:compute/disk:Disk";

function acceleratorOf(inputs: JsonObject): string {
  const config = obj(inputs.acceleratorConfig);
  if (config !== undefined) return `${str(config.type) ?? ""}-${str(config.topology) ?? ""}`;
  return str(inputs.acceleratorType) ?? "v2-8";
}

function check(c: Checker, config: GcpConfig): void {
  c.required("runtimeVersion", "string");
  checkPlacement(c, config, true);
  c.type("acceleratorType", "string");
  c.type("acceleratorConfig", "object");
  if (c.get("acceleratorType") !== undefined && c.get("acceleratorConfig") !== undefined)
    c.fail("acceleratorConfig", `"acceleratorConfig": conflicts with acceleratorType`);
  checkMetadata(c);
  c.type("networkConfig", "object");
  c.type("schedulingConfig", "object");
  c.type("dataDisks", "array");
  c.type("labels", "object");
  c.type("serviceAccount", "object");
  c.type("serviceAccount.email", "string");
}

function render(inputs: JsonObject, ident: Ident | null, ctx: Ctx<GcpConfig>): JsonObject {
  const { project, zone } = placed(inputs, ctx.config);
  const network = {
    network: "default",
    subnetwork: "default",
    enableExternalIps: false,
    canIpForward: false,
    ...(obj(inputs.networkConfig) ?? {}),
  };
  const labels = effectiveLabels(ctx.config, inputs);
  return {
    ...inputs,
    id: `projects/${project}/locations/${zone}/nodes/${str(inputs.name) ?? ""}`,
    project,
    zone,
    acceleratorType: inputs.acceleratorConfig === undefined ? acceleratorOf(inputs) : "",
    networkConfig: network,
    networkEndpoints: [
      {
        ipAddress: generated(ident, (i) => privateIp(regionOfZone(zone), i.serial)),
        port: 8470,
        accessConfigs:
          network.enableExternalIps === true
            ? [{ externalIp: generated(ident, (i) => publicIp(i.serial)) }]
            : [],
      },
    ],
    state: "READY",
    health: "HEALTHY",
    apiVersion: "V2",
    labels: inputs.labels ?? {},
    effectiveLabels: labels,
    pulumiLabels: labels,
  };
}

function beforeCreate(inputs: JsonObject, id: string, ctx: Ctx<GcpConfig>): void {
  checkName(str(inputs.name) ?? "", "creating V2Vm");
  requireServiceAccount(inputs, "creating V2Vm", ctx);
  const { zone } = placed(inputs, ctx.config);
  for (const d of arr(inputs.dataDisks) ?? []) {
    const source = str(obj(d)?.sourceDisk) ?? "";
    const disk = ctx.resources[source.replace(/^https:\/\/[^/]+\/compute\/v1\//, "")];
    if (disk?.type !== DISK)
      throw new CloudError(
        `Error waiting to create V2Vm: Error waiting for Creating V2Vm: Error code 5, message: Disk ${source} not found.`,
      );
    if (disk.outputs.zone !== zone)
      throw new CloudError(
        `Error creating V2Vm: googleapi: Error 400: Disk ${source} must be in zone ${zone}, the zone of node ${id}., badRequest`,
      );
  }
}

function faultSubject(inputs: JsonObject, ctx: Ctx<GcpConfig>): FaultSubject {
  const { project, zone } = placed(inputs, ctx.config);
  const name = str(inputs.name) ?? "";
  return {
    cloud: "gcp",
    zones: [zone],
    zone,
    region: regionOfZone(zone),
    instanceType: basename(acceleratorOf(inputs)),
    name,
    path: `projects/${project}/locations/${zone}/nodes/${name}`,
    project,
    tpu: true,
  };
}

export const gcpTpuVm: ResourceKind<GcpConfig> = {
  type: "gcp:tpu/v2Vm:V2Vm",
  nameProperty: "name",
  replaceOn: [
    "name",
    "zone",
    "project",
    "acceleratorType",
    "acceleratorConfig",
    "runtimeVersion",
    "networkConfig",
    "networkConfigs",
    "schedulingConfig",
    "serviceAccount",
    "cidrBlock",
    "dataDisks",
    "shieldedInstanceConfig",
  ],
  check,
  id: (inputs, _serial, ctx) => {
    const { project, zone } = placed(inputs, ctx.config);
    return `projects/${project}/locations/${zone}/nodes/${str(inputs.name) ?? ""}`;
  },
  render,
  beforeCreate,
  faultSubject,
};
