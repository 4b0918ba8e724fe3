// gcp:compute/instance:Instance. GPUs (attached accelerators or a GPU machine family) cannot live-
// migrate, so such an instance must say onHostMaintenance TERMINATE, and Spot needs it too, as the API
// insists. Changing the machine type stops the instance, which the provider does only when
// allowStoppingForUpdate is set.
import { publicIp } from "../core/addresses.js";
import type { Checker } from "../core/check-kit.js";
import { digitsOf } from "../core/hash.js";
import { CloudError, type Ctx, type FaultSubject, type Ident, type ResourceKind } from "../core/kind.js";
import { basename, generated } from "../core/render.js";
import { arr, isObject, obj, str, type JsonObject } from "../core/values.js";
import {
  checkName,
  checkMetadata,
  checkPlacement,
  COMPUTE,
  googleApiError,
  networkLink,
  placed,
  privateIp,
  regionOfZone,
} from "./common.js";
import { gcpBoot, gcpHasPublicAddress } from "./boot.js";
import { effectiveLabels, type GcpConfig } from "./config.js";
import { requireServiceAccount } from "./iam.js";

const GPU_FAMILIES = ["a2-", "a3-", "a4-", "a4x-", "g2-", "g4-"];
const METRICS: Record<string, string> = {
  "a2-": "NVIDIA_A100_GPUS",
  "a3-": "NVIDIA_H100_GPUS",
  "g2-": "NVIDIA_L4_GPUS",
  "nvidia-tesla-t4": "NVIDIA_T4_GPUS",
  "nvidia-tesla-v100": "NVIDIA_V100_GPUS",
  "nvidia-l4": "NVIDIA_L4_GPUS",
  "nvidia-tesla-a100": "NVIDIA_A100_GPUS",
};

function accelerators(inputs: JsonObject): string[] {
  return (arr(inputs.guestAccelerators) ?? []).map((a) => (isObject(a) ? basename(str(a.type) ?? "") : ""));
}

function hasGpus(inputs: JsonObject): boolean {
  const type = basename(str(inputs.machineType) ?? "");
  return accelerators(inputs).length > 0 || GPU_FAMILIES.some((f) => type.startsWith(f));
}

function isSpot(inputs: JsonObject): boolean {
  const s = obj(inputs.scheduling);
  return s?.provisioningModel === "SPOT" || s?.preemptible === true;
}

export function quotaMetric(inputs: JsonObject): string {
  const type = basename(str(inputs.machineType) ?? "");
  const key = Object.keys(METRICS).find((k) => type.startsWith(k) || accelerators(inputs).includes(k));
  const metric = key === undefined ? "CPUS" : (METRICS[key] ?? "CPUS");
  return isSpot(inputs) ? `PREEMPTIBLE_${metric}` : metric;
}

function check(c: Checker, config: GcpConfig): void {
  c.required("machineType", "string");
  c.required("bootDisk", "object");
  c.required("networkInterfaces", "array");
  if (Array.isArray(c.get("networkInterfaces")) && arr(c.get("networkInterfaces"))?.length === 0)
    c.fail("networkInterfaces", `"networkInterfaces" needs at least one network interface`);
  checkPlacement(c, config, true);
  checkMetadata(c);
  c.maxBytes("metadataStartupScript", 256 * 1024, "raw", "metadataStartupScript");
  c.type("scheduling", "object");
  c.oneOf("scheduling.provisioningModel", ["STANDARD", "SPOT"]);
  c.oneOf("scheduling.onHostMaintenance", ["MIGRATE", "TERMINATE"]);
  c.type("guestAccelerators", "array");
  c.type("labels", "object");
  c.type("tags", "array");
  c.type("serviceAccount", "object");
  c.type("serviceAccount.email", "string");
  if (c.get("serviceAccount") !== undefined) c.required("serviceAccount.scopes", "array");
}

function render(inputs: JsonObject, ident: Ident | null, ctx: Ctx<GcpConfig>): JsonObject {
  const { project, zone } = placed(inputs, ctx.config);
  const region = regionOfZone(zone);
  const name = str(inputs.name) ?? "";
  const labels = effectiveLabels(ctx.config, inputs);
  const nics = (arr(inputs.networkInterfaces) ?? []).map((nic, i) => {
    const n = obj(nic) ?? {};
    const network = str(n.network) ?? "default";
    return {
      ...n,
      name: `nic${i}`,
      network: networkLink(project, network),
      subnetwork: `${COMPUTE}projects/${project}/regions/${region}/subnetworks/${basename(str(n.subnetwork) ?? network)}`,
      networkIp: str(n.networkIp) ?? generated(ident, (id) => privateIp(region, id.serial, i)),
      accessConfigs: (arr(n.accessConfigs) ?? []).map((ac, j) => ({
        ...(obj(ac) ?? {}),
        // Booting on, the instance's own address (first interface, first access config) is a loopback one.
        natIp:
          str(obj(ac)?.natIp) ??
          generated(ident, (id) => (i === 0 && j === 0 ? id.address : undefined) ?? publicIp(id.serial + i)),
        networkTier: str(obj(ac)?.networkTier) ?? "PREMIUM",
      })),
    };
  });
  return {
    ...inputs,
    id: `projects/${project}/zones/${zone}/instances/${name}`,
    project,
    zone,
    selfLink: `${COMPUTE}projects/${project}/zones/${zone}/instances/${name}`,
    instanceId: generated(ident, (id) => digitsOf(`instance:${id.serial}`, 19)),
    currentStatus: "RUNNING",
    cpuPlatform: "Intel Cascade Lake",
    networkInterfaces: nics,
    bootDisk: {
      ...(obj(inputs.bootDisk) ?? {}),
      deviceName: "persistent-disk-0",
      mode: "READ_WRITE",
      source: `${COMPUTE}projects/${project}/zones/${zone}/disks/${name}`,
    },
    labels: inputs.labels ?? {},
    effectiveLabels: labels,
    pulumiLabels: labels,
  };
}

function beforeCreate(inputs: JsonObject, _id: string, ctx: Ctx<GcpConfig>): void {
  checkName(str(inputs.name) ?? "", "creating instance");
  requireServiceAccount(inputs, "creating instance", ctx);
  const maintenance = str(obj(inputs.scheduling)?.onHostMaintenance) ?? "MIGRATE";
  if (maintenance !== "TERMINATE" && hasGpus(inputs))
    throw googleApiError(
      "creating instance",
      400,
      `Invalid value for field 'resource.scheduling.onHostMaintenance': '${maintenance}'. Instances with guest accelerators do not support live migration.`,
      "invalid",
    );
  if (maintenance !== "TERMINATE" && isSpot(inputs))
    throw googleApiError(
      "creating instance",
      400,
      `Invalid value for field 'resource.scheduling.onHostMaintenance': '${maintenance}'. Scheduling must have preemptible be false when OnHostMaintenance isn't TERMINATE.`,
      "invalid",
    );
}

const STOPPING = ["machineType", "minCpuPlatform", "serviceAccount"];

function beforeUpdate(old: { inputs: JsonObject }, news: JsonObject, ctx: Ctx<GcpConfig>): void {
  requireServiceAccount(news, "updating instance", ctx);
  const changed = STOPPING.filter((p) => JSON.stringify(old.inputs[p]) !== JSON.stringify(news[p]));
  if (changed.length > 0 && news.allowStoppingForUpdate !== true)
    throw new CloudError(
      `Changing the ${changed.join(", ")} on a started instance requires stopping it. To acknowledge this, please set allow_stopping_for_update = true in your config. You can also stop it by setting desired_status = "TERMINATED", but the instance will not be restarted after the update.`,
    );
}

function faultSubject(inputs: JsonObject, ctx: Ctx<GcpConfig>): FaultSubject {
  const { project, zone } = placed(inputs, ctx.config);
  const name = str(inputs.name) ?? "";
  return {
    cloud: "gcp",
    zones: [zone],
    zone,
    region: regionOfZone(zone),
    instanceType: basename(str(inputs.machineType) ?? ""),
    spot: isSpot(inputs),
    name,
    path: `projects/${project}/zones/${zone}/instances/${name}`,
    project,
    quotaMetric: quotaMetric(inputs),
  };
}

export const gcpInstance: ResourceKind<GcpConfig> = {
  type: "gcp:compute/instance:Instance",
  nameProperty: "name",
  replaceOn: [
    "name",
    "zone",
    "project",
    "bootDisk",
    "networkInterfaces[].network",
    "networkInterfaces[].subnetwork",
    "networkInterfaces[].networkIp",
    "scheduling.provisioningModel",
    "scheduling.preemptible",
    "guestAccelerators",
    "metadataStartupScript",
    "scratchDisks",
  ],
  check,
  id: (inputs, _serial, ctx) => {
    const { project, zone } = placed(inputs, ctx.config);
    return `projects/${project}/zones/${zone}/instances/${str(inputs.name) ?? ""}`;
  },
  render,
  beforeCreate,
  beforeUpdate,
  // Deleting an instance detaches its disks.
  cascade: (res, ctx) =>
    Object.values(ctx.resources)
      .filter((r) => r.type === "gcp:compute/attachedDisk:AttachedDisk" && r.id.startsWith(`${res.id}/`))
      .map((r) => r.id),
  faultSubject,
  publicAddress: gcpHasPublicAddress,
  // A shutdown from inside the guest stops a Compute Engine VM (TERMINATED): compute billing ends, the
  // disk stays until the instance is deleted.
  poweredOff: (res) => ({ ...res.outputs, currentStatus: "TERMINATED" }),
  boot: gcpBoot,
};
