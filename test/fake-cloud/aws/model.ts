// The fake `aws` package (pulumi-resource-aws 7.48.0): what it models and how it fails.
import type { CloudModel } from "../core/kind.js";
import { checkAwsConfig, configureAws, type AwsConfig } from "./config.js";
import { awsVolume, awsVolumeAttachment } from "./ebs.js";
import { awsApiError, awsFaultCodes, awsFaultMessage } from "./errors.js";
import { awsEcrRepository, ECR_REPOSITORY } from "./ecr.js";
import { ACCOUNT_ID } from "./geo.js";
import {
  awsIamInstanceProfile,
  awsIamRole,
  awsIamRolePolicy,
  IAM_INSTANCE_PROFILE,
  IAM_ROLE,
} from "./iam.js";
import { awsInstance } from "./instance.js";
import { awsInvokes } from "./invokes.js";
import { awsKeyPair, awsSecurityGroup } from "./network.js";

/** The texts of a create whose name is taken, for the types named by the user (IAM names are global). */
const ALREADY_EXISTS: Record<string, (id: string, requestId: string) => string> = {
  [ECR_REPOSITORY]: (id, rid) =>
    awsApiError(
      { doing: "creating ECR Repository", action: "CreateRepository", service: "ECR" },
      400,
      "RepositoryAlreadyExistsException",
      `The repository with name '${id}' already exists in the registry with id '${ACCOUNT_ID}'`,
      rid,
    ),
  [IAM_ROLE]: (id, rid) =>
    awsApiError(
      { doing: `creating IAM Role (${id})`, action: "CreateRole", service: "IAM" },
      409,
      "EntityAlreadyExists",
      `Role with name ${id} already exists.`,
      rid,
    ),
  [IAM_INSTANCE_PROFILE]: (id, rid) =>
    awsApiError(
      { doing: `creating IAM Instance Profile (${id})`, action: "CreateInstanceProfile", service: "IAM" },
      409,
      "EntityAlreadyExists",
      `Instance Profile ${id} already exists.`,
      rid,
    ),
};

export const awsModel: CloudModel<AwsConfig> = {
  cloud: "aws",
  pkg: "aws",
  version: "7.48.0",
  configure: configureAws,
  checkConfig: checkAwsConfig,
  configReplaceOn: ["region"],
  kinds: [
    awsSecurityGroup,
    awsKeyPair,
    awsInstance,
    awsVolume,
    awsVolumeAttachment,
    awsEcrRepository,
    awsIamRole,
    awsIamRolePolicy,
    awsIamInstanceProfile,
  ],
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
      : (ALREADY_EXISTS[type]?.(id, requestId) ?? `fake-cloud (aws): ${type} ${id} already exists`),
};
