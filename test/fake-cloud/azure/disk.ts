// azure-native:compute:Disk: a managed disk in one zone (or none). It grows in place, never shrinks,
// and cannot be deleted while a VM has it attached.
import type { ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { uuidOf } from "../core/hash.js";
import { arr, obj, str, text } from "../core/values.js";
import { armError, armId, armOutputs, requireGroup } from "./common.js";
import type { AzureConfig } from "./config.js";

const DISKS = "Microsoft.Compute/disks";
export const DISK_TYPE = "azure-native:compute:Disk";
const CREATE_OPTIONS = [
  "Empty",
  "Attach",
  "FromImage",
  "Import",
  "Copy",
  "Restore",
  "Upload",
  "CopyStart",
  "ImportSecure",
  "UploadPreparedSecure",
  "CopyFromSanSnapshot",
];

export const azureDisk: ResourceKind<AzureConfig> = {
  type: DISK_TYPE,
  nameProperty: "diskName",
  replaceOn: ["resourceGroupName", "diskName", "location", "zones", "creationData"],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.required("creationData.createOption", "string");
    c.oneOf("creationData.createOption", CREATE_OPTIONS);
    c.positiveInt("diskSizeGB");
    if (c.get("creationData.createOption") === "Empty" && c.get("diskSizeGB") === undefined)
      c.fail("diskSizeGB", `"diskSizeGB" is required for an Empty disk`);
    c.type("zones", "array");
    c.type("sku", "object");
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, DISKS, "diskName"),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, DISKS, "diskName"),
      DISKS,
      str(inputs.diskName) ?? "",
    ),
    sku: inputs.sku ?? { name: "Standard_LRS" },
    diskState: "Unattached",
    diskSizeBytes: typeof inputs.diskSizeGB === "number" ? inputs.diskSizeGB * 1024 ** 3 : 0,
    uniqueId: generated(ident, (i) => uuidOf(`disk:${i.serial}`)),
  }),
  beforeCreate: (inputs, _id, ctx) => requireGroup(inputs, ctx),
  beforeUpdate: (old, news) => {
    const [before, after] = [old.inputs.diskSizeGB, news.diskSizeGB];
    if (typeof before === "number" && typeof after === "number" && after < before)
      throw armError(
        "BadRequest",
        `Disk ${text(old.outputs.name)} cannot shrink from ${before} GB to ${after} GB: a managed disk can only grow.`,
      );
  },
  beforeDelete: (res, ctx) => {
    const vm = Object.values(ctx.resources).find(
      (r) =>
        r.type === "azure-native:compute:VirtualMachine" &&
        (arr(obj(r.inputs.storageProfile)?.dataDisks) ?? []).some(
          (d) => str(obj(obj(d)?.managedDisk)?.id) === res.id,
        ),
    );
    if (vm !== undefined)
      throw armError("OperationNotAllowed", `Disk ${text(res.outputs.name)} is attached to VM ${vm.id}.`);
  },
};
