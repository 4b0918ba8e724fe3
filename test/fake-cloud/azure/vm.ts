// azure-native:compute:VirtualMachine. customData (base64, at most 64 KiB decoded), zones and priority
// never change on an existing VM: changing them replaces it. Deleting a VM deletes its NICs, their
// public IPs and its data disks where they say deleteOption Delete, as Azure does (spot evictions too).
import type { Checker } from "../core/check-kit.js";
import { uuidOf } from "../core/hash.js";
import type { Ctx, FaultSubject, ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { arr, obj, str, text, type JsonObject } from "../core/values.js";
import { VM_TYPE, PIP_TYPE } from "./address.js";
import { azureBoot } from "./boot.js";
import { armError, armId, armOutputs, locationOf, requireGroup, requireReference } from "./common.js";
import type { AzureConfig } from "./config.js";
import { DISK_TYPE } from "./disk.js";
import { checkVmIdentity, requireIdentities, vmIdentityOutput } from "./identity.js";
import { NIC_TYPE } from "./network.js";

const VMS = "Microsoft.Compute/virtualMachines";
export const CUSTOM_DATA_LIMIT = 64 * 1024;

function check(c: Checker): void {
  c.required("resourceGroupName", "string");
  c.required("hardwareProfile.vmSize", "string");
  c.required("storageProfile", "object");
  c.required("networkProfile.networkInterfaces", "array");
  if (arr(c.get("networkProfile.networkInterfaces"))?.length === 0)
    c.fail("networkProfile.networkInterfaces", "a VM needs at least one network interface");
  c.type("osProfile", "object");
  c.maxBytes("osProfile.customData", CUSTOM_DATA_LIMIT, "base64", "osProfile.customData");
  c.oneOf("priority", ["Regular", "Low", "Spot"]);
  c.oneOf("evictionPolicy", ["Deallocate", "Delete"]);
  c.type("zones", "array");
  (arr(c.get("zones")) ?? []).forEach((_z, i) => c.oneOf(`zones[${i}]`, ["1", "2", "3"]));
  c.type("billingProfile.maxPrice", "number");
  c.type("tags", "object");
  checkVmIdentity(c);
}

function refs(inputs: JsonObject, path: "nics" | "disks"): JsonObject[] {
  if (path === "nics")
    return (arr(obj(inputs.networkProfile)?.networkInterfaces) ?? []).map((n) => obj(n) ?? {});
  return (arr(obj(inputs.storageProfile)?.dataDisks) ?? []).map((d) => obj(d) ?? {});
}

function diskId(d: JsonObject): string {
  return str(obj(d.managedDisk)?.id) ?? "";
}

/** Data disks must exist, sit in the VM's zone, and be attached to no other VM. */
function checkDisks(inputs: JsonObject, id: string, ctx: Ctx<AzureConfig>): void {
  const zone = str(arr(inputs.zones)?.[0]);
  for (const d of refs(inputs, "disks")) {
    const ref = diskId(d);
    if (ref === "") continue;
    const disk = ctx.resources[ref];
    if (disk?.type !== DISK_TYPE) throw armError("NotFound", `Resource ${ref} not found.`);
    const diskZone = str(arr(disk.outputs.zones)?.[0]);
    if (diskZone !== zone)
      throw armError(
        "BadRequest",
        `Disk ${ref} cannot be attached to the VM because it is not in the same zone with the VM. VM zone: '${zone ?? ""}'. Disk zone: '${diskZone ?? ""}'.`,
      );
    const other = Object.values(ctx.resources).find(
      (r) => r.type === VM_TYPE && r.id !== id && refs(r.inputs, "disks").some((x) => diskId(x) === ref),
    );
    if (other !== undefined)
      throw armError(
        "OperationNotAllowed",
        `Disk ${text(disk.outputs.name)} is already attached to VM ${other.id}.`,
      );
  }
}

function cascade(res: { inputs: JsonObject }, ctx: Ctx<AzureConfig>): string[] {
  const nics = refs(res.inputs, "nics")
    .filter((n) => n.deleteOption === "Delete")
    .map((n) => str(n.id) ?? "");
  const pips = nics.flatMap((nic) =>
    (arr(ctx.resources[nic]?.inputs.ipConfigurations) ?? [])
      .map((cfg) => str(obj(obj(cfg)?.publicIPAddress)?.id) ?? "")
      .filter(
        (pip) =>
          ctx.resources[pip]?.type === PIP_TYPE && ctx.resources[pip]?.inputs.deleteOption === "Delete",
      ),
  );
  const disks = refs(res.inputs, "disks")
    .filter((d) => d.deleteOption === "Delete")
    .map(diskId);
  return [...nics, ...pips, ...disks].filter((id) => id !== "");
}

function faultSubject(inputs: JsonObject, ctx: Ctx<AzureConfig>): FaultSubject {
  const location = locationOf(inputs, ctx);
  const zone = str(arr(inputs.zones)?.[0]);
  return {
    cloud: "azure",
    zones: zone === undefined ? [] : [zone, `${location}-${zone}`],
    zone: zone ?? "",
    region: location,
    instanceType: str(obj(inputs.hardwareProfile)?.vmSize) ?? "",
    spot: str(inputs.priority) === "Spot",
    name: str(inputs.vmName) ?? "",
    path: armId(inputs, ctx.config, VMS, "vmName"),
    zonal: zone !== undefined,
  };
}

export const azureVirtualMachine: ResourceKind<AzureConfig> = {
  type: VM_TYPE,
  nameProperty: "vmName",
  replaceOn: [
    "resourceGroupName",
    "vmName",
    "location",
    "zones",
    "priority",
    "evictionPolicy",
    "osProfile.customData",
    "osProfile.adminUsername",
    "osProfile.adminPassword",
    "osProfile.computerName",
    "storageProfile.imageReference",
    "storageProfile.osDisk.name",
    "storageProfile.osDisk.createOption",
    "availabilitySet",
    "virtualMachineScaleSet",
    "extendedLocation",
  ],
  check,
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, VMS, "vmName"),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, VMS, "vmName"),
      VMS,
      str(inputs.vmName) ?? "",
    ),
    ...(inputs.identity === undefined ? {} : { identity: vmIdentityOutput(inputs, ctx) ?? null }),
    vmId: generated(ident, (i) => uuidOf(`vm:${i.serial}`)),
    timeCreated: generated(ident, () => new Date().toISOString()),
  }),
  beforeCreate: (inputs, id, ctx) => {
    requireGroup(inputs, ctx);
    for (const nic of refs(inputs, "nics")) requireReference(str(nic.id) ?? "", id, NIC_TYPE, ctx);
    checkDisks(inputs, id, ctx);
    requireIdentities(inputs, id, ctx);
  },
  beforeUpdate: (old, news, ctx) => {
    checkDisks(news, old.id, ctx);
    requireIdentities(news, old.id, ctx);
  },
  cascade,
  faultSubject,
  boot: azureBoot,
};
