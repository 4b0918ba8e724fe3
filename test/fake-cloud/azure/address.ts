// azure-native:network PublicIPAddress and NetworkInterface. A Static public IP has its address once
// created (Standard SKU must be Static); a NIC's private address comes from its subnet's prefix
// (Azure keeps the first four). A NIC cannot be deleted while a VM uses it.
import { hostInCidr, publicIp } from "../core/addresses.js";
import type { ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { arr, obj, str, type JsonObject } from "../core/values.js";
import { armError, armId, armOutputs, requireGroup, requireReference } from "./common.js";
import type { AzureConfig } from "./config.js";
import { NIC_TYPE, SUBNET_TYPE } from "./network.js";

const PIP = "Microsoft.Network/publicIPAddresses";
const NIC = "Microsoft.Network/networkInterfaces";
export const PIP_TYPE = "azure-native:network:PublicIPAddress";
export const VM_TYPE = "azure-native:compute:VirtualMachine";

export const azurePublicIp: ResourceKind<AzureConfig> = {
  type: PIP_TYPE,
  nameProperty: "publicIpAddressName",
  replaceOn: [
    "resourceGroupName",
    "publicIpAddressName",
    "location",
    "sku",
    "zones",
    "publicIPAddressVersion",
  ],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.oneOf("sku.name", ["Basic", "Standard"]);
    c.oneOf("publicIPAllocationMethod", ["Static", "Dynamic"]);
    c.oneOf("deleteOption", ["Delete", "Detach"]);
    c.type("zones", "array");
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, PIP, "publicIpAddressName"),
  render: (inputs, ident, ctx) => {
    const out = armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, PIP, "publicIpAddressName"),
      PIP,
      str(inputs.publicIpAddressName) ?? "",
    );
    if (inputs.publicIPAllocationMethod === "Static")
      out.ipAddress = generated(ident, (i) => i.address ?? publicIp(i.serial));
    return out;
  },
  beforeCreate: (inputs, id, ctx) => {
    requireGroup(inputs, ctx);
    if (str(obj(inputs.sku)?.name) === "Standard" && inputs.publicIPAllocationMethod !== "Static")
      throw armError(
        "StandardSkuPublicIPAddressesMustBeStatic",
        `Standard sku publicIp ${id} must have AllocationMethod set to Static.`,
      );
  },
  // A Static address exists from the create on; booting on, it is a loopback address the VM publishes.
  publicAddress: (inputs) => inputs.publicIPAllocationMethod === "Static",
};

function privateAddress(
  cfg: JsonObject,
  index: number,
  serial: number,
  resources: Record<string, { outputs: JsonObject }>,
): string {
  const subnet = resources[str(obj(cfg.subnet)?.id) ?? ""];
  const prefix =
    str(subnet?.outputs.addressPrefix) ?? str(arr(subnet?.outputs.addressPrefixes)?.[0]) ?? "10.0.0.0/24";
  return hostInCidr(prefix, serial * 4 + index, 4);
}

export const azureNetworkInterface: ResourceKind<AzureConfig> = {
  type: NIC_TYPE,
  nameProperty: "networkInterfaceName",
  replaceOn: ["resourceGroupName", "networkInterfaceName", "location"],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.required("ipConfigurations", "array");
    (arr(c.get("ipConfigurations")) ?? []).forEach((_cfg, i) => {
      c.type(`ipConfigurations[${i}].name`, "string");
      c.required(`ipConfigurations[${i}].subnet.id`, "string");
    });
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, NIC, "networkInterfaceName"),
  render: (inputs, ident, ctx) => {
    const id = armId(inputs, ctx.config, NIC, "networkInterfaceName");
    const configs = (arr(inputs.ipConfigurations) ?? []).map((raw, i) => {
      const cfg = obj(raw) ?? {};
      const name = str(cfg.name) ?? `ipconfig${i + 1}`;
      return {
        ...cfg,
        id: `${id}/ipConfigurations/${name}`,
        name,
        primary: cfg.primary ?? i === 0,
        privateIPAllocationMethod: cfg.privateIPAllocationMethod ?? "Dynamic",
        privateIPAddress:
          str(cfg.privateIPAddress) ??
          generated(ident, (x) => privateAddress(cfg, i, x.serial, ctx.resources)),
        provisioningState: "Succeeded",
      };
    });
    return {
      ...armOutputs(inputs, ident, ctx, id, NIC, str(inputs.networkInterfaceName) ?? ""),
      ipConfigurations: configs,
    };
  },
  beforeCreate: (inputs, id, ctx) => {
    requireGroup(inputs, ctx);
    for (const raw of arr(inputs.ipConfigurations) ?? []) {
      const cfg = obj(raw) ?? {};
      requireReference(str(obj(cfg.subnet)?.id) ?? "", id, SUBNET_TYPE, ctx);
      const pip = str(obj(cfg.publicIPAddress)?.id);
      if (pip !== undefined) requireReference(pip, id, PIP_TYPE, ctx);
    }
  },
  beforeDelete: (res, ctx) => {
    const vm = Object.values(ctx.resources).find(
      (r) =>
        r.type === VM_TYPE &&
        (arr(obj(r.inputs.networkProfile)?.networkInterfaces) ?? []).some((n) => str(obj(n)?.id) === res.id),
    );
    if (vm !== undefined)
      throw armError(
        "NicInUse",
        `Network Interface ${res.id} is used by existing resource ${vm.id}. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.`,
      );
  },
};
