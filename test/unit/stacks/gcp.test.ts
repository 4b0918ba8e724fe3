// The GCP pool under setMocks: which resources a spec becomes and with which properties (spot vs
// on-demand, attached vs built-in GPUs, reservations, labels everywhere, names, refusals).
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../../../src/errors.js";
import {
  TYPES,
  build,
  installMocks,
  instanceSpec,
  ofType,
  onlyOfType,
  poolSpec,
  registered,
} from "./gcp-mocks.js";

await installMocks();
const { GPU_IMAGE, CPU_IMAGE } = await import("../../../src/stacks/gcp/machine.js");
const { gcpPool } = await import("../../../src/stacks/gcp/pool.js");

const {
  instance: INSTANCE,
  tpu: TPU,
  firewall: FIREWALL,
  disk: DISK,
  attachedDisk: ATTACHED,
  provider: PROVIDER,
} = TYPES;
const ALLOWED: string[] = Object.values(TYPES);

const SPOT_SCHEDULING = {
  provisioningModel: "SPOT",
  preemptible: true,
  automaticRestart: false,
  onHostMaintenance: "TERMINATE",
  instanceTerminationAction: "DELETE",
};

afterEach(() => vi.restoreAllMocks());

describe("GCP pool: provider and component", () => {
  it("registers one component and one explicit provider that every resource uses", async () => {
    const { resources } = await build(
      poolSpec({
        volumes: [{ name: "data", size_gb: 50, zone: "us-central1-b", volume_id: null }],
        instances: [instanceSpec({ volumes: ["data"] })],
      }),
    );
    expect(onlyOfType(resources, "dstack:gcp:Pool").name).toBe("gpu-pool");
    const provider = onlyOfType(resources, PROVIDER);
    expect(provider.inputs).toMatchObject({ project: "gcp-proj", region: "us-central1" });
    expect(JSON.parse(String(provider.inputs.defaultLabels))).toEqual({
      "dstack-managed": "true",
      "dstack-project": "main",
      "dstack-pool": "gpu-pool",
    });
    const custom = resources.filter((r) => r.type.startsWith("gcp:"));
    expect(custom.map((r) => r.type).sort()).toEqual([ATTACHED, DISK, FIREWALL, INSTANCE]);
    for (const r of custom) expect(r.provider).toMatch(/\$pulumi:providers:gcp::gpu-pool::/);
    for (const r of resources) expect(ALLOWED).toContain(r.type);
  });

  it("leaves the project to the provider's own sources when the spec has none", async () => {
    const { resources } = await build(poolSpec({ pool: "no-project", network: {} }));
    expect(onlyOfType(resources, PROVIDER).inputs.project).toBeUndefined();
  });
});

describe("GCP pool: Compute Engine instances", () => {
  it("on-demand N1 with one T4: guestAccelerators, TERMINATE on maintenance, the CUDA image", async () => {
    const { resources, outputs } = await build(poolSpec());
    const vm = onlyOfType(resources, INSTANCE);
    expect(vm.name).toBe("gpu-pool-gpu-0");
    expect(vm.inputs).toMatchObject({
      name: "dstack-main-gpu-pool-gpu-0",
      machineType: "n1-standard-8",
      zone: "us-central1-b",
      guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }],
      scheduling: { onHostMaintenance: "TERMINATE", automaticRestart: true },
      bootDisk: { autoDelete: true, initializeParams: { image: GPU_IMAGE, size: 120, type: "pd-balanced" } },
      networkInterfaces: [{ network: "default", accessConfigs: [{}] }],
      tags: ["dstack-main-gpu-pool"],
    });
    expect(vm.inputs.scheduling).not.toHaveProperty("provisioningModel");
    expect(vm.inputs.reservationAffinity).toBeUndefined();
    expect(outputs.instances).toEqual([
      {
        name: "gpu-0",
        id: "projects/gcp-proj/zones/us-central1-b/instances/dstack-main-gpu-pool-gpu-0",
        zone: "us-central1-b",
        public_ip: "34.1.2.3",
        private_ip: "10.128.0.2",
        ssh_user: "root",
        ssh_port: 22,
        spot: false,
      },
    ]);
  });

  it("spot: SPOT provisioning, preemptible, no restart, deleted on preemption", async () => {
    const { resources, outputs } = await build(poolSpec({ instances: [instanceSpec({ spot: true })] }));
    expect(onlyOfType(resources, INSTANCE).inputs.scheduling).toEqual(SPOT_SCHEDULING);
    expect(outputs.instances[0]?.spot).toBe(true);
  });

  it("a2-highgpu-8g has its 8 A100s built in: no guestAccelerators, even if the spec names them", async () => {
    for (const accelerator of [null, { type: "nvidia-tesla-a100", count: 8 }]) {
      const spec = poolSpec({
        instances: [instanceSpec({ instance_type: "a2-highgpu-8g", accelerator, gpu_count: 8 })],
      });
      const vm = onlyOfType((await build(spec)).resources, INSTANCE);
      expect(vm.inputs.machineType).toBe("a2-highgpu-8g");
      expect(vm.inputs).not.toHaveProperty("guestAccelerators");
      expect(vm.inputs.scheduling).toEqual({ onHostMaintenance: "TERMINATE", automaticRestart: true });
      expect(vm.inputs).toMatchObject({ bootDisk: { initializeParams: { image: GPU_IMAGE } } });
    }
  });

  it("without GPUs: plain Ubuntu 22.04, default scheduling; a given image wins", async () => {
    const cpu = instanceSpec({
      instance_type: "e2-standard-4",
      accelerator: null,
      gpu_count: 0,
      gpu_vendor: null,
    });
    const plain = onlyOfType((await build(poolSpec({ instances: [cpu] }))).resources, INSTANCE);
    expect(plain.inputs).toMatchObject({ bootDisk: { initializeParams: { image: CPU_IMAGE } } });
    expect(plain.inputs).not.toHaveProperty("scheduling");
    expect(plain.inputs).not.toHaveProperty("guestAccelerators");
    const custom = instanceSpec({ image: "projects/my-proj/global/images/my-image" });
    const vm = onlyOfType((await build(poolSpec({ instances: [custom] }))).resources, INSTANCE);
    expect(vm.inputs).toMatchObject({
      bootDisk: { initializeParams: { image: "projects/my-proj/global/images/my-image" } },
    });
  });

  it("a reservation is consumed by name", async () => {
    const { resources } = await build(poolSpec({ instances: [instanceSpec({ reservation: "my-a100s" })] }));
    expect(onlyOfType(resources, INSTANCE).inputs.reservationAffinity).toEqual({
      type: "SPECIFIC_RESERVATION",
      specificReservation: { key: "compute.googleapis.com/reservation-name", values: ["my-a100s"] },
    });
  });

  it("max_price is ignored (GCP spot has no maximum price) and warned about", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const spec = poolSpec({ instances: [instanceSpec({ spot: true, max_price: 0.42 })] });
    const { resources } = await build(spec);
    const vm = onlyOfType(resources, INSTANCE);
    expect(vm.inputs.scheduling).toEqual(SPOT_SCHEDULING);
    expect(JSON.stringify(vm.inputs)).not.toContain("0.42");
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/gpu-0: max_price 0\.42 is ignored on GCP/));
  });

  it("a null zone is the region's -a zone", async () => {
    const { resources, outputs } = await build(poolSpec({ instances: [instanceSpec({ zone: null })] }));
    expect(onlyOfType(resources, INSTANCE).inputs.zone).toBe("us-central1-a");
    expect(outputs.instances[0]?.zone).toBe("us-central1-a");
  });

  it("attaches to the configured subnetwork", async () => {
    const spec = poolSpec({ network: { project: "gcp-proj", vpc: "ml", subnets: ["ml-us-central1"] } });
    const { resources } = await build(spec);
    expect(onlyOfType(resources, INSTANCE).inputs.networkInterfaces).toEqual([
      { network: "ml", subnetwork: "ml-us-central1", accessConfigs: [{}] },
    ]);
    expect(onlyOfType(resources, FIREWALL).inputs.network).toBe("ml");
  });
});

describe("GCP pool: labels and names", () => {
  const spec = poolSpec({
    instances: [
      instanceSpec({ volumes: ["data"] }),
      instanceSpec({
        name: "tpu-0",
        instance_type: "v2-8",
        accelerator: { type: "v2-8", count: 1 },
        tpu: true,
        volumes: [],
      }),
    ],
    volumes: [{ name: "data", size_gb: 100, zone: "us-central1-b", volume_id: null }],
  });

  it("every labelled resource carries dstack-managed, project, pool, and its instance or volume", async () => {
    const { resources } = await build(spec);
    const pool = { "dstack-managed": "true", "dstack-project": "main", "dstack-pool": "gpu-pool" };
    const labelled = resources.filter((r) => ([INSTANCE, TPU, DISK] as string[]).includes(r.type));
    expect(labelled).toHaveLength(3);
    for (const r of labelled) expect(r.inputs.labels).toMatchObject(pool);
    expect(onlyOfType(resources, INSTANCE).inputs.labels).toMatchObject({ "dstack-instance": "gpu-0" });
    expect(onlyOfType(resources, INSTANCE).inputs).toMatchObject({
      bootDisk: { initializeParams: { labels: { ...pool, "dstack-instance": "gpu-0" } } },
    });
    expect(onlyOfType(resources, TPU).inputs.labels).toMatchObject({ "dstack-instance": "tpu-0" });
    expect(onlyOfType(resources, DISK).inputs.labels).toMatchObject({ "dstack-volume": "data" });
    // Firewall rules and attachments take no labels in GCP: the firewall says it in its description.
    expect(onlyOfType(resources, FIREWALL).inputs.description).toContain("dstack-managed=true");
  });

  it("cloud names are valid GCP names, logical names derive from the spec", async () => {
    const { resources } = await build(spec);
    const custom = resources.filter((r) => r.type.startsWith("gcp:") && r.type !== ATTACHED);
    for (const r of custom) expect(String(r.inputs.name)).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "dstack:gcp:Pool gpu-pool",
        `${PROVIDER} gpu-pool`,
        `${FIREWALL} gpu-pool-ingress`,
        `${DISK} gpu-pool-vol-data`,
        `${INSTANCE} gpu-pool-gpu-0`,
        `${TPU} gpu-pool-tpu-0`,
        `${ATTACHED} gpu-pool-gpu-0-data`,
      ].sort(),
    );
  });

  it("long names are cut to 63 characters and stay distinct", async () => {
    const long = "a-very-long-instance-name-that-goes-on-and-on";
    const { resources } = await build(
      poolSpec({
        project: "a-long-project-name",
        instances: [instanceSpec({ name: `${long}-0` }), instanceSpec({ name: `${long}-1` })],
      }),
    );
    const names = ofType(resources, INSTANCE).map((r) => String(r.inputs.name));
    for (const name of names) expect(name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(2);
  });
});

describe("GCP pool: refusals", () => {
  it("reports every problem at once and registers nothing", () => {
    const before = registered.length;
    const spec = poolSpec({
      instances: [
        instanceSpec({ volumes: ["missing", "far"] }),
        instanceSpec({ name: "tpu-0", tpu: true, accelerator: null }),
      ],
      volumes: [{ name: "far", size_gb: 10, zone: "europe-west4-a", volume_id: null }],
    });
    let error: unknown;
    try {
      gcpPool(spec, { agentSource: "" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe("gcp-pool-invalid");
    const message = (error as UserError).message;
    expect(message).toContain("volume missing is not a volume of pool gpu-pool");
    expect(message).toContain("volume far is in europe-west4-a");
    expect(message).toContain("tpu-0: a TPU needs its accelerator type");
    expect(registered.length).toBe(before);
  });
});
