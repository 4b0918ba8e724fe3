// azure-native:network VirtualNetwork, Subnet and NetworkSecurityGroup. A subnet lives inside its
// virtual network (deleting the network deletes it) and cannot be deleted while a NIC uses it.
import type { Checker } from "../core/check-kit.js";
import type { ResourceKind } from "../core/kind.js";
import { arr, isObject, obj, str, text, type JsonObject } from "../core/values.js";
import { armError, armId, armOutputs, requireGroup } from "./common.js";
import type { AzureConfig } from "./config.js";

const VNET = "Microsoft.Network/virtualNetworks";
const NSG = "Microsoft.Network/networkSecurityGroups";
export const SUBNET_TYPE = "azure-native:network:Subnet";
export const NIC_TYPE = "azure-native:network:NetworkInterface";

function checkGroup(c: Checker): void {
  c.required("resourceGroupName", "string");
  c.type("location", "string");
  c.type("tags", "object");
}

export const azureVirtualNetwork: ResourceKind<AzureConfig> = {
  type: "azure-native:network:VirtualNetwork",
  nameProperty: "virtualNetworkName",
  replaceOn: ["resourceGroupName", "virtualNetworkName", "location"],
  check: (c) => {
    checkGroup(c);
    c.type("addressSpace", "object");
    c.type("addressSpace.addressPrefixes", "array");
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, VNET, "virtualNetworkName"),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, VNET, "virtualNetworkName"),
      VNET,
      str(inputs.virtualNetworkName) ?? "",
    ),
    subnets: inputs.subnets ?? [],
  }),
  beforeCreate: (inputs, _id, ctx) => requireGroup(inputs, ctx),
  cascade: (res, ctx) => Object.keys(ctx.resources).filter((id) => id.startsWith(`${res.id}/subnets/`)),
};

function subnetId(inputs: JsonObject, config: AzureConfig): string {
  return `${armId(inputs, config, VNET, "virtualNetworkName")}/subnets/${str(inputs.subnetName) ?? ""}`;
}

export const azureSubnet: ResourceKind<AzureConfig> = {
  type: SUBNET_TYPE,
  nameProperty: "subnetName",
  replaceOn: ["resourceGroupName", "virtualNetworkName", "subnetName"],
  check: (c) => {
    c.required("resourceGroupName", "string");
    c.required("virtualNetworkName", "string");
    c.type("addressPrefix", "string");
    c.type("addressPrefixes", "array");
    if (c.get("addressPrefix") === undefined && c.get("addressPrefixes") === undefined)
      c.fail("addressPrefix", `one of "addressPrefix" or "addressPrefixes" must be set`);
  },
  id: (inputs, _s, ctx) => subnetId(inputs, ctx.config),
  render: (inputs, ident, ctx) => {
    const out = armOutputs(
      inputs,
      ident,
      ctx,
      subnetId(inputs, ctx.config),
      `${VNET}/subnets`,
      str(inputs.subnetName) ?? "",
    );
    delete out.location; // subnets have none: they live in their network
    return out;
  },
  beforeCreate: (inputs, _id, ctx) => {
    requireGroup(inputs, ctx);
    const vnet = armId(inputs, ctx.config, VNET, "virtualNetworkName");
    if (ctx.resources[vnet] === undefined)
      throw armError(
        "ResourceNotFound",
        `The Resource '${VNET}/${str(inputs.virtualNetworkName) ?? ""}' under resource group '${str(inputs.resourceGroupName) ?? ""}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
  },
  beforeDelete: (res, ctx) => {
    const nic = Object.values(ctx.resources).find(
      (r) =>
        r.type === NIC_TYPE &&
        (arr(r.inputs.ipConfigurations) ?? []).some((cfg) => str(obj(obj(cfg)?.subnet)?.id) === res.id),
    );
    if (nic !== undefined)
      throw armError(
        "InUseSubnetCannotBeDeleted",
        `Subnet ${text(res.outputs.name)} is in use by ${nic.id}/ipConfigurations/${str(obj(arr(nic.inputs.ipConfigurations)?.[0])?.name) ?? "ipconfig1"} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
      );
  },
};

export const azureNetworkSecurityGroup: ResourceKind<AzureConfig> = {
  type: "azure-native:network:NetworkSecurityGroup",
  nameProperty: "networkSecurityGroupName",
  replaceOn: ["resourceGroupName", "networkSecurityGroupName", "location"],
  check: (c) => {
    checkGroup(c);
    c.type("securityRules", "array");
    (arr(c.get("securityRules")) ?? []).forEach((rule, i) => {
      if (!isObject(rule)) return;
      for (const p of ["name", "direction", "access", "protocol"])
        c.required(`securityRules[${i}].${p}`, "string");
      c.required(`securityRules[${i}].priority`, "number");
      const priority = rule.priority;
      if (typeof priority === "number" && (priority < 100 || priority > 4096))
        c.fail(`securityRules[${i}].priority`, `priority ${priority} is outside 100..4096`);
    });
  },
  id: (inputs, _s, ctx) => armId(inputs, ctx.config, NSG, "networkSecurityGroupName"),
  render: (inputs, ident, ctx) => ({
    ...armOutputs(
      inputs,
      ident,
      ctx,
      armId(inputs, ctx.config, NSG, "networkSecurityGroupName"),
      NSG,
      str(inputs.networkSecurityGroupName) ?? "",
    ),
    securityRules: inputs.securityRules ?? [],
  }),
  beforeCreate: (inputs, _id, ctx) => requireGroup(inputs, ctx),
};
