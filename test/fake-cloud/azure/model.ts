// The fake `azure-native` package (pulumi-resource-azure-native 3.28.0): what it models and how it fails.
import type { CloudModel } from "../core/kind.js";
import { azureNetworkInterface, azurePublicIp } from "./address.js";
import { checkAzureConfig, configureAzure, type AzureConfig } from "./config.js";
import { azureDisk } from "./disk.js";
import { azureFaultCodes, azureFaultMessage } from "./errors.js";
import { azureResourceGroup } from "./group.js";
import { azureRoleAssignment, azureUserAssignedIdentity } from "./identity.js";
import { azureNetworkSecurityGroup, azureSubnet, azureVirtualNetwork } from "./network.js";
import { azureContainerRegistry } from "./registry.js";
import { azureVirtualMachine } from "./vm.js";

export const azureModel: CloudModel<AzureConfig> = {
  cloud: "azure",
  pkg: "azure-native",
  version: "3.28.0",
  configure: configureAzure,
  checkConfig: checkAzureConfig,
  configReplaceOn: ["subscriptionId"],
  kinds: [
    azureResourceGroup,
    azureVirtualNetwork,
    azureSubnet,
    azureNetworkSecurityGroup,
    azurePublicIp,
    azureNetworkInterface,
    azureVirtualMachine,
    azureDisk,
    azureContainerRegistry,
    azureUserAssignedIdentity,
    azureRoleAssignment,
  ],
  invokes: {},
  faultCodes: azureFaultCodes,
  faultMessage: azureFaultMessage,
  alreadyExists: (_type, id) => `cannot create already existing resource '${id}'`,
};
