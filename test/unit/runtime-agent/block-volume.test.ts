// A cloud network volume on the VM: the first device that exists is formatted when empty, mounted once
// at /dstack-volumes/<name> and bound into the container; without any device (the fake cloud's
// containers have none) the run gets a Docker volume of the name, and the log says so. The job spec
// carries the devices through.
import { describe, expect, it } from "vitest";
import { mountBlockVolume, type BlockOps } from "../../../src/runtime-agent/block-volume.js";
import { buildCreateBody } from "../../../src/runtime-agent/container-config.js";
import { parseJobSpec } from "../../../src/runtime-agent/spec.js";
import { agentConfig, jobSpec } from "./helpers.js";

function fakeOps(devices: Record<string, { real: string; content: boolean }>, mounted: string[] = []) {
  const calls: string[] = [];
  const ops: BlockOps = {
    exists: (p) => p in devices,
    realpath: (p) => devices[p]?.real ?? p,
    mountedAt: (dir) => (mounted.includes(dir) ? "/dev/nvme1n1" : undefined),
    hasContent: (d) => Object.values(devices).some((v) => v.real === d && v.content),
    mkdir: (dir) => void calls.push(`mkdir ${dir}`),
    run: (command, args) => void calls.push([command, ...args].join(" ")),
  };
  return { ops, calls };
}

const volume = {
  kind: "network" as const,
  name: "data",
  path: "/data",
  devices: ["/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0aaa", "/dev/sdf"],
};

describe("mountBlockVolume", () => {
  it("formats an empty device, mounts it under /dstack-volumes and returns that path", () => {
    const { ops, calls } = fakeOps({ "/dev/sdf": { real: "/dev/nvme1n1", content: false } });
    const lines: string[] = [];
    expect(mountBlockVolume(volume, ops, (l) => lines.push(l))).toBe("/dstack-volumes/data");
    expect(calls).toEqual([
      "mkfs.ext4 -q /dev/nvme1n1",
      "mkdir /dstack-volumes/data",
      "mount /dev/nvme1n1 /dstack-volumes/data",
    ]);
    expect(lines).toEqual([
      "volume data: /dev/nvme1n1 is empty, formatting it (ext4)",
      "volume data: /dev/nvme1n1 mounted at /dstack-volumes/data",
    ]);
  });

  it("never formats a device that holds something, and mounts once per instance", () => {
    const used = fakeOps({ [volume.devices[0]!]: { real: "/dev/nvme1n1", content: true } });
    mountBlockVolume(volume, used.ops, () => undefined);
    expect(used.calls).toEqual(["mkdir /dstack-volumes/data", "mount /dev/nvme1n1 /dstack-volumes/data"]);
    const again = fakeOps({ "/dev/sdf": { real: "/dev/nvme1n1", content: true } }, ["/dstack-volumes/data"]);
    expect(mountBlockVolume(volume, again.ops, () => undefined)).toBe("/dstack-volumes/data");
    expect(again.calls).toEqual([]);
  });

  it("falls back to a Docker volume, saying so, when no device exists; and without devices at all", () => {
    const { ops, calls } = fakeOps({});
    const lines: string[] = [];
    expect(mountBlockVolume(volume, ops, (l) => lines.push(l))).toBeUndefined();
    expect(calls).toEqual([]);
    expect(lines[0]).toContain("volume data: no block device (");
    expect(lines[0]).toContain("using a Docker volume named data instead");
    expect(mountBlockVolume({ kind: "network", name: "data", path: "/d" }, ops, () => undefined)).toBe(
      undefined,
    );
  });
});

describe("network volumes in the job spec and the container", () => {
  it("reads the devices of a network volume", () => {
    const parsed = parseJobSpec({
      ...jobSpec(),
      volumes: [volume, { kind: "network", name: "x", path: "/x" }],
    });
    if (!("spec" in parsed)) throw new Error(parsed.errors.join("; "));
    expect(parsed.spec.volumes).toEqual([volume, { kind: "network", name: "x", path: "/x" }]);
    const bad = parseJobSpec({ ...jobSpec(), volumes: [{ ...volume, devices: [1] }] });
    expect("errors" in bad && bad.errors.join()).toContain("volumes[0].devices");
  });

  it("binds a mounted block device's path, and a Docker volume otherwise", () => {
    const body = buildCreateBody(
      agentConfig(),
      jobSpec({ volumes: [volume, { kind: "network", name: "cache", path: "/cache" }] }),
      {
        sshPort: 10022,
        missingOptional: [],
        nvidia: false,
        networkSources: { data: "/dstack-volumes/data" },
      },
    ) as { HostConfig: { Binds: string[] } };
    expect(body.HostConfig.Binds.slice(1)).toEqual(["/dstack-volumes/data:/data", "cache:/cache"]);
  });
});
