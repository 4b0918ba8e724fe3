// GCP pools and the project's registry (issue 14): with a registry identity, Compute Engine instances
// and TPU VMs run as its service account with the cloud-platform scope (IAM decides the rest); without
// one, no serviceAccount block at all (no diff for the stacks that exist).
import { describe, expect, it } from "vitest";
import { build, installMocks, instanceSpec, onlyOfType, poolSpec, TYPES } from "./gcp-mocks.js";

await installMocks();

const EMAIL = "dstack-main-1a2b3c@gcp-proj.iam.gserviceaccount.com";
const ACCOUNT = { email: EMAIL, scopes: ["https://www.googleapis.com/auth/cloud-platform"] };

describe("GCP instances and the registry's service account", () => {
  it("a Compute Engine instance runs as the account", async () => {
    const { resources } = await build(poolSpec({ registry: { gcp_service_account: EMAIL } }));
    const vm = onlyOfType(resources, TYPES.instance).inputs;
    expect(vm.serviceAccount).toEqual(ACCOUNT);
    // Changing the account needs a stop; the pool already allows it.
    expect(vm.allowStoppingForUpdate).toBe(true);
  });

  it("a TPU VM runs as the account", async () => {
    const tpu = instanceSpec({
      name: "tpu-0",
      instance_type: "v5litepod-8",
      accelerator: { type: "v5litepod-8", count: 1 },
      tpu: true,
      gpu_vendor: "google",
    });
    const { resources } = await build(
      poolSpec({ instances: [tpu], registry: { gcp_service_account: EMAIL } }),
    );
    expect(onlyOfType(resources, TYPES.tpu).inputs.serviceAccount).toEqual(ACCOUNT);
  });

  it("without a registry no instance has a serviceAccount key", async () => {
    const { resources } = await build(poolSpec());
    expect(Object.keys(onlyOfType(resources, TYPES.instance).inputs)).not.toContain("serviceAccount");
  });
});
