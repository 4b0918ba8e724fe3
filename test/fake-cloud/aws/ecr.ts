// aws:ecr/repository:Repository: a private ECR repository of the account's regional registry. Its id is
// its name; images are not modelled (a repository is always empty, so forceDelete changes nothing here).
import { uuidOf } from "../core/hash.js";
import { CloudError, type ResourceKind } from "../core/kind.js";
import { generated } from "../core/render.js";
import { str } from "../core/values.js";
import { tagsAll, type AwsConfig } from "./config.js";
import { awsApiError } from "./errors.js";
import { dataPlaneHost } from "../core/data-plane.js";
import { ACCOUNT_ID } from "./geo.js";

export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
/** ECR's repository name rule: lowercase path segments of letters and digits joined by . _ - and /. */
const NAME_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MUTABILITY = ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"];

/** The registry host of the account in a region: what `docker login` and image references name. */
export function ecrHost(region: string): string {
  return `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`;
}

/** The repository's endpoint: ECR's own, or a path of the loopback data plane (core/data-plane.ts). */
export function ecrRepositoryUrl(region: string, name: string): string {
  const plane = dataPlaneHost();
  return plane === undefined ? `${ecrHost(region)}/${name}` : `${plane}/aws/${region}/${name}`;
}

export const awsEcrRepository: ResourceKind<AwsConfig> = {
  type: ECR_REPOSITORY,
  nameProperty: "name",
  replaceOn: ["name", "encryptionConfigurations"],
  check: (c) => {
    c.type("name", "string");
    c.type("forceDelete", "boolean");
    c.type("imageScanningConfiguration", "object");
    if (c.get("imageScanningConfiguration") !== undefined)
      c.required("imageScanningConfiguration.scanOnPush", "boolean");
    c.oneOf("imageTagMutability", MUTABILITY);
    c.type("tags", "object");
  },
  id: (inputs) => str(inputs.name) ?? "",
  render: (inputs, ident, ctx) => {
    const { region } = ctx.config;
    const name = str(inputs.name) ?? "";
    return {
      ...inputs,
      id: generated(ident, (i) => i.id),
      arn: `arn:aws:ecr:${region}:${ACCOUNT_ID}:repository/${name}`,
      registryId: ACCOUNT_ID,
      repositoryUrl: ecrRepositoryUrl(region, name),
      region,
      forceDelete: inputs.forceDelete ?? false,
      imageTagMutability: inputs.imageTagMutability ?? "MUTABLE",
      imageScanningConfiguration: inputs.imageScanningConfiguration ?? { scanOnPush: false },
      encryptionConfigurations: inputs.encryptionConfigurations ?? [{ encryptionType: "AES256", kmsKey: "" }],
      tagsAll: tagsAll(ctx.config, inputs),
    };
  },
  beforeCreate: (inputs) => {
    const name = str(inputs.name) ?? "";
    if (name.length < 2 || name.length > 256 || !NAME_RE.test(name))
      throw new CloudError(
        awsApiError(
          { doing: "creating ECR Repository", action: "CreateRepository", service: "ECR" },
          400,
          "InvalidParameterException",
          `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
          uuidOf(`ecr-name:${name}`),
        ),
      );
  },
};
