// The pool's network: a virtual network, one subnet, and a security group on the subnet (so every
// instance of the pool gets the same rules without a rule per NIC). The subnet is its own resource and
// the NSG's rules are inline, so changing ports updates the NSG in place and never touches the subnet.
// The virtual network declares no subnets: azure-native then keeps the separately managed subnet when it
// updates the network (an ARM PUT without `subnets` would otherwise drop it).
import * as network from "@pulumi/azure-native/network/index.js";
import type * as pulumi from "@pulumi/pulumi";
import { inboundRules } from "./security-rules.js";
import { azureName } from "./names.js";
import { placed, type PoolScope } from "./scope.js";

export const VNET_CIDR = "10.0.0.0/16";
export const SUBNET_CIDR = "10.0.0.0/20";

/** Registers the network; returns the subnet id the instances' NICs join. */
export function poolNetwork(scope: PoolScope): pulumi.Output<string> {
  const { spec, opts } = scope;
  const vnet = new network.VirtualNetwork(
    `${spec.pool}-vnet`,
    {
      ...placed(scope),
      virtualNetworkName: azureName(spec, "vnet"),
      addressSpace: { addressPrefixes: [VNET_CIDR] },
    },
    opts,
  );
  const nsg = new network.NetworkSecurityGroup(
    `${spec.pool}-nsg`,
    {
      ...placed(scope),
      networkSecurityGroupName: azureName(spec, "nsg"),
      securityRules: inboundRules(spec.ports),
    },
    opts,
  );
  // Subnets take neither tags nor a location: they live inside the virtual network.
  const subnet = new network.Subnet(
    `${spec.pool}-subnet`,
    {
      resourceGroupName: scope.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: azureName(spec, "subnet"),
      addressPrefix: SUBNET_CIDR,
      networkSecurityGroup: { id: nsg.id },
    },
    opts,
  );
  return subnet.id;
}
