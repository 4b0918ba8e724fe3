// The fake `gcp` package (pulumi-resource-gcp 9.37.0): what it models and how it fails.
import type { CloudModel } from "../core/kind.js";
import { checkGcpConfig, configureGcp, type GcpConfig } from "./config.js";
import { googleApiError } from "./common.js";
import { gcpInvokes } from "./asset-search.js";
import { gcpClientInvokes } from "./client-config.js";
import { gcpAttachedDisk, gcpDisk } from "./disk.js";
import { gcpFaultCodes, gcpFaultMessage } from "./errors.js";
import { gcpFirewall } from "./firewall.js";
import { gcpServiceAccount } from "./iam.js";
import { gcpInstance } from "./instance.js";
import { gcpArtifactRepository, gcpArtifactRepositoryIamMember } from "./registry.js";
import { gcpTpuVm } from "./tpu.js";

const LABELS: Record<string, string> = {
  "gcp:compute/instance:Instance": "creating instance",
  "gcp:compute/disk:Disk": "creating Disk",
  "gcp:compute/firewall:Firewall": "creating Firewall",
  "gcp:tpu/v2Vm:V2Vm": "creating V2Vm",
  "gcp:compute/attachedDisk:AttachedDisk": "attaching disk",
  "gcp:artifactregistry/repository:Repository": "creating Repository",
  "gcp:serviceaccount/account:Account": "creating service account",
};

export const gcpModel: CloudModel<GcpConfig> = {
  cloud: "gcp",
  pkg: "gcp",
  version: "9.37.0",
  configure: configureGcp,
  checkConfig: checkGcpConfig,
  configReplaceOn: ["project"],
  kinds: [
    gcpFirewall,
    gcpInstance,
    gcpTpuVm,
    gcpDisk,
    gcpAttachedDisk,
    gcpArtifactRepository,
    gcpArtifactRepositoryIamMember,
    gcpServiceAccount,
  ],
  invokes: { ...gcpInvokes, ...gcpClientInvokes },
  faultCodes: gcpFaultCodes,
  faultMessage: gcpFaultMessage,
  alreadyExists: (type, id) =>
    googleApiError(
      LABELS[type] ?? "creating resource",
      409,
      `The resource '${id}' already exists`,
      "alreadyExists",
    ).message,
};
