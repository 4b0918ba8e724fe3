// TPU VMs of a GCP pool under setMocks: a tpu.V2Vm per TPU instance, never a Compute Engine instance.
import { describe, expect, it } from "vitest";
import { TYPES, build, installMocks, instanceSpec, ofType, onlyOfType, poolSpec } from "./gcp-mocks.js";

await installMocks();

const INSTANCE = TYPES.instance;
const TPU = TYPES.tpu;

describe("GCP pool: TPU VMs", () => {
  const tpu = instanceSpec({
    name: "tpu-0",
    instance_type: "v5litepod-8",
    accelerator: { type: "v5litepod-8", count: 1 },
    tpu: true,
    gpu_vendor: "google",
    gpu_count: 8,
    zone: "us-west4-a",
  });

  it("a TPU is a tpu.V2Vm, not a Compute Engine instance", async () => {
    const { resources, outputs } = await build(poolSpec({ region: "us-west4", instances: [tpu] }));
    expect(ofType(resources, INSTANCE)).toHaveLength(0);
    const vm = onlyOfType(resources, TPU);
    expect(vm.inputs).toMatchObject({
      name: "dstack-main-gpu-pool-tpu-0",
      zone: "us-west4-a",
      acceleratorType: "v5litepod-8",
      runtimeVersion: "v2-alpha-tpuv5-lite",
      networkConfig: { enableExternalIps: true, network: "default" },
      tags: ["dstack-main-gpu-pool"],
    });
    expect(vm.inputs).not.toHaveProperty("schedulingConfig");
    expect(vm.inputs.metadata).toHaveProperty("user-data");
    expect(outputs.instances[0]).toMatchObject({
      public_ip: "35.1.2.3",
      private_ip: "10.128.0.3",
      zone: "us-west4-a",
    });
  });

  it("spot TPU: schedulingConfig.spot; a reserved TPU: schedulingConfig.reserved", async () => {
    const spot = onlyOfType((await build(poolSpec({ instances: [{ ...tpu, spot: true }] }))).resources, TPU);
    expect(spot.inputs.schedulingConfig).toEqual({ spot: true });
    const reserved = { ...tpu, reservation: "my-tpus" };
    const vm = onlyOfType((await build(poolSpec({ instances: [reserved] }))).resources, TPU);
    expect(vm.inputs.schedulingConfig).toEqual({ reserved: true });
  });
});
