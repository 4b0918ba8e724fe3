// A project's registry on AWS: an ECR repository for the prebuilt images, and the instance role that
// lets instances log in (ecr:GetAuthorizationToken, which IAM grants on "*" only) and pull and push in
// that repository alone. Instances take the role through the instance profile: EC2's metadata service
// hands them short-lived credentials, so nothing secret goes into user data.
import { Provider } from "@pulumi/aws/provider.js";
import { Repository } from "@pulumi/aws/ecr/repository.js";
import { InstanceProfile } from "@pulumi/aws/iam/instanceProfile.js";
import { Role } from "@pulumi/aws/iam/role.js";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy.js";
import * as pulumi from "@pulumi/pulumi";
import { registryTags } from "../tags.js";
import { awsInstanceProfileName, awsRoleName, imagePath } from "./names.js";
import type { RegistryOutputs, RegistrySpec } from "./registry-spec.js";

/** What EC2 instances may do in the repository: read any image, and push new ones (no deletes). */
export const ECR_PULL_PUSH = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:DescribeImages",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
];

const EC2_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export function ecrPolicy(repositoryArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Login", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Sid: "PullPush", Effect: "Allow", Action: ECR_PULL_PUSH, Resource: repositoryArn },
    ],
  });
}

export class AwsRegistry extends pulumi.ComponentResource {
  readonly outputs: pulumi.Output<RegistryOutputs>;

  constructor(spec: RegistrySpec) {
    super("dstack:aws:Registry", "registry", {}, {});
    const tags = registryTags(spec.project);
    const provider = new Provider(
      "registry-aws",
      { region: spec.region, defaultTags: { tags } },
      { parent: this },
    );
    const opts: pulumi.CustomResourceOptions = { parent: this, provider };
    const repository = new Repository(
      "prebuilt",
      {
        name: imagePath(spec),
        // Prebuilt images are a cache keyed by content: rebuilt when missing, scanned by nobody.
        imageScanningConfiguration: { scanOnPush: false },
        // Destroying the registry stack means the images go too; they can be rebuilt.
        forceDelete: true,
        tags,
      },
      opts,
    );
    const role = new Role(
      "instances",
      {
        name: awsRoleName(spec),
        description: `dstack ${spec.project}: instances pull and push prebuilt images in ${spec.region}`,
        assumeRolePolicy: EC2_TRUST,
        tags,
      },
      opts,
    );
    const policy = new RolePolicy(
      "ecr-pull-push",
      { name: "ecr-pull-push", role: role.name, policy: repository.arn.apply(ecrPolicy) },
      opts,
    );
    const profile = new InstanceProfile(
      "instances",
      { name: awsInstanceProfileName(spec), role: role.name, tags },
      // The rights come with the policy: an instance launched with the profile can push at once.
      { ...opts, dependsOn: [policy] },
    );
    this.outputs = pulumi.output({
      registry: repository.repositoryUrl.apply((url) => url.split("/")[0] ?? url),
      repository: repository.repositoryUrl,
      instance_identity: { aws_instance_profile: profile.name },
    });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const awsRegistry = (spec: RegistrySpec): pulumi.Output<RegistryOutputs> =>
  new AwsRegistry(spec).outputs;
