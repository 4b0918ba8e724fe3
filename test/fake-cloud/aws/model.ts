// The fake `aws` package (pulumi-resource-aws 7.48.0): what it models and how it fails.
import type { CloudModel } from "../core/kind.js";
import { checkAwsConfig, configureAws, type AwsConfig } from "./config.js";
import { awsVolume, awsVolumeAttachment } from "./ebs.js";
import { awsApiError, awsFaultCodes, awsFaultMessage } from "./errors.js";
import { awsInstance } from "./instance.js";
import { awsInvokes } from "./invokes.js";
import { awsKeyPair, awsSecurityGroup } from "./network.js";

export const awsModel: CloudModel<AwsConfig> = {
  cloud: "aws",
  pkg: "aws",
  version: "7.48.0",
  configure: configureAws,
  checkConfig: checkAwsConfig,
  configReplaceOn: ["region"],
  kinds: [awsSecurityGroup, awsKeyPair, awsInstance, awsVolume, awsVolumeAttachment],
  invokes: awsInvokes,
  faultCodes: awsFaultCodes,
  faultMessage: awsFaultMessage,
  alreadyExists: (type, id, requestId) =>
    type === awsKeyPair.type
      ? awsApiError(
          { doing: `importing EC2 Key Pair (${id})`, action: "ImportKeyPair" },
          400,
          "InvalidKeyPair.Duplicate",
          "The keypair already exists",
          requestId,
        )
      : `fake-cloud (aws): ${type} ${id} already exists`,
};
