// The GCP backend's pure helpers: names, zones, device names, TPU runtimes, disk paths, GPU families.
import { describe, expect, it } from "vitest";
import { hasBuiltInGpus } from "../../../src/stacks/gcp/machine.js";
import { deviceName, gcpName, networkTag, zoneOf } from "../../../src/stacks/gcp/naming.js";
import { tpuRuntimeVersion } from "../../../src/stacks/gcp/tpu.js";
import { tpuSourceDisk } from "../../../src/stacks/gcp/volumes.js";

const GCP_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe("GCP naming", () => {
  it("names are resourceName() when short, hashed when they would be cut", () => {
    expect(gcpName({ project: "Main", pool: "gpu_pool" }, "gpu-0")).toBe("dstack-main-gpu-pool-gpu-0");
    const scope = { project: "p".repeat(30), pool: "q".repeat(30) };
    const [a, b] = [gcpName(scope, "instance-0"), gcpName(scope, "instance-1")];
    expect(a).toMatch(GCP_NAME);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(63);
  });

  it("the network tag names project and pool", () => {
    expect(networkTag({ project: "main", pool: "gpu-pool", instance: "x" })).toBe("dstack-main-gpu-pool");
  });

  it("zones default to the region's -a zone", () => {
    expect(zoneOf("europe-west4", null)).toBe("europe-west4-a");
    expect(zoneOf("europe-west4", "europe-west4-b")).toBe("europe-west4-b");
  });

  it("device names are RFC 1035", () => {
    expect(deviceName("data")).toBe("data");
    expect(deviceName("My_Data")).toBe("my-data");
    expect(deviceName("1st")).toBe("v-1st");
    expect(deviceName("x".repeat(80))).toMatch(GCP_NAME);
  });
});

describe("GCP machines and TPUs", () => {
  it("A2, A3, G2 have GPUs built in; N1 does not", () => {
    expect(["a2-highgpu-8g", "a3-highgpu-8g", "g2-standard-4"].map(hasBuiltInGpus)).toEqual([
      true,
      true,
      true,
    ]);
    expect(hasBuiltInGpus("n1-standard-8")).toBe(false);
  });

  it("TPU runtimes per generation", () => {
    expect(tpuRuntimeVersion("v5litepod-8")).toBe("v2-alpha-tpuv5-lite");
    expect(tpuRuntimeVersion("v6e-8")).toBe("v2-alpha-tpuv6e");
    expect(tpuRuntimeVersion("v2-8")).toBe("tpu-ubuntu2204-base");
  });

  it("an existing disk as a TPU wants it", () => {
    const path = "projects/p/zones/z/disks/d";
    expect(tpuSourceDisk(path, undefined, "z")).toBe(path);
    expect(tpuSourceDisk(`https://www.googleapis.com/compute/v1/${path}`, undefined, "z")).toBe(path);
    expect(tpuSourceDisk("d", "p", "z")).toBe(path);
    expect(tpuSourceDisk("d", undefined, "z")).toBeNull();
  });
});
