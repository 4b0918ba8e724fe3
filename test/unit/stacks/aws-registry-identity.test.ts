// AWS pools and the project's registry (issue 14): with a registry identity in the spec, every instance
// launches with its instance profile; without one, instances carry no profile at all (no diff for the
// stacks that exist), and another cloud's identity is refused.
import { describe, expect, it } from "vitest";
import { checkPoolSpec } from "../../../src/stacks/pool-stack.js";
import { build, installMocks, instanceSpec, ofType, poolSpec } from "./aws-mocks.js";

await installMocks();

const INSTANCE = "aws:ec2/instance:Instance";

describe("AWS instances and the registry's instance profile", () => {
  it("every instance takes the profile; nothing else in the pool changes", async () => {
    const spec = poolSpec({ instances: [instanceSpec(), instanceSpec({ name: "gpu-pool-1" })] });
    const plain = await build(spec);
    const withRegistry = await build({
      ...spec,
      registry: { aws_instance_profile: "dstack-main-us-east-1-instances" },
    });
    const instances = ofType(withRegistry.resources, INSTANCE);
    expect(instances.map((i) => i.inputs.iamInstanceProfile)).toEqual([
      "dstack-main-us-east-1-instances",
      "dstack-main-us-east-1-instances",
    ]);
    const strip = (r: (typeof instances)[number]) => {
      const rest = { ...r.inputs };
      delete rest.iamInstanceProfile;
      return { type: r.type, name: r.name, inputs: rest };
    };
    expect(withRegistry.resources.map(strip)).toEqual(plain.resources.map(strip));
  });

  it("without a registry no instance has the iamInstanceProfile key at all", async () => {
    const { resources } = await build(poolSpec());
    for (const instance of ofType(resources, INSTANCE))
      expect(Object.keys(instance.inputs)).not.toContain("iamInstanceProfile");
  });

  it("a registry identity of another cloud is refused with what to use", () => {
    expect(() =>
      checkPoolSpec({ ...poolSpec(), registry: { gcp_service_account: "a@b.iam.gserviceaccount.com" } }),
    ).toThrow("the pool spec's registry must be { aws_instance_profile: string } on aws");
    expect(checkPoolSpec({ ...poolSpec(), registry: { aws_instance_profile: "p" } }).registry).toEqual({
      aws_instance_profile: "p",
    });
  });
});
