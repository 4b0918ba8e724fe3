// Where the agent finds itself: inside a container of the Docker engine it talks to (local and fake-cloud
// instances), or on a VM. Detection against a fake daemon on a unix socket; the host view it implies
// (network namespace, bind-mount sources) checked through the container body the agent would send.
import { afterEach, describe, expect, it } from "vitest";
import { buildCreateBody } from "../../../src/runtime-agent/container-config.js";
import { Docker, type ContainerInfo } from "../../../src/runtime-agent/docker.js";
import { applyHostView, toHostPath } from "../../../src/runtime-agent/host-view.js";
import {
  candidateIds,
  findSelfContainer,
  type SelfProbe,
} from "../../../src/runtime-agent/self-container.js";
import { agentConfig, jobSpec } from "./helpers.js";
import { fakeDocker, type FakeDocker } from "./fake-docker.js";

const ID = "3f4e1c2b".repeat(8);
const OTHER = "9a8b7c6d".repeat(8);
/** /proc/self/mountinfo of a process in a Docker container (cgroup v2, private cgroup namespace). */
const CONTAINER_MOUNTINFO = [
  `612 540 0:52 / / rw,relatime master:301 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A,upperdir=/var/lib/docker/overlay2/abc/diff`,
  `613 612 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw`,
  `640 612 254:1 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw`,
  `641 612 254:1 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw`,
  `642 612 254:1 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/vda1 rw`,
  `643 612 254:1 /tmp/fc/inst-1/data /var/lib/dstack rw,relatime - ext4 /dev/vda1 rw`,
].join("\n");
/** The same file on a VM that runs Docker: container shm mounts are there, but not as /etc/hostname. */
const VM_MOUNTINFO = [
  `22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw`,
  `300 22 0:60 / /var/lib/docker/containers/${OTHER}/mounts/shm rw - tmpfs shm rw,size=65536k`,
  `301 22 0:61 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw`,
].join("\n");

const INSPECT: ContainerInfo = {
  Id: ID,
  Mounts: [
    { Type: "bind", Source: "/tmp/fc/inst-1/seed", Destination: "/var/lib/cloud/seed/nocloud" },
    { Type: "bind", Source: "/tmp/fc/inst-1/data", Destination: "/var/lib/dstack" },
    { Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock" },
    { Type: "volume", Source: "/var/lib/docker/volumes/v/_data", Destination: "/cache" },
  ],
  GraphDriver: { Name: "overlay2", Data: { MergedDir: `/var/lib/docker/overlay2/abc/merged` } },
};

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A daemon that knows exactly one container, by full id and by id prefix. */
async function daemon(known: ContainerInfo | null): Promise<Docker> {
  fake = await fakeDocker((r) => {
    const m = /^\/containers\/([^/]+)\/json$/.exec(r.url);
    const ref = decodeURIComponent(m?.[1] ?? "");
    if (known !== null && ref.length >= 12 && known.Id.startsWith(ref)) return { status: 200, body: known };
    return { status: 404, body: { message: `No such container: ${ref}` } };
  });
  return new Docker(fake.socket);
}

const probe = (over: Partial<SelfProbe>): SelfProbe => ({
  mountinfo: "",
  cgroup: "0::/\n",
  hostname: "ip-10-0-0-5",
  ...over,
});

describe("candidateIds", () => {
  it("takes the id from Docker's own files bind-mounted at /etc/hostname, /etc/hosts, /etc/resolv.conf", () => {
    expect(candidateIds(probe({ mountinfo: CONTAINER_MOUNTINFO }))).toEqual([ID]);
  });

  it("on a VM running Docker finds none: container mounts there are not the process's /etc files", () => {
    expect(
      candidateIds(probe({ mountinfo: VM_MOUNTINFO, cgroup: "0::/system.slice/dstack-agent.service\n" })),
    ).toEqual([]);
  });

  it("also reads cgroup v1 / host-namespace paths and a hostname that is an id prefix", () => {
    expect(candidateIds(probe({ cgroup: `12:pids:/docker/${OTHER}\n`, hostname: ID.slice(0, 12) }))).toEqual([
      OTHER,
      ID.slice(0, 12),
    ]);
    expect(candidateIds(probe({ cgroup: `0::/system.slice/docker-${OTHER}.scope\n` }))).toEqual([OTHER]);
  });
});

describe("findSelfContainer", () => {
  it("confirms the candidate with the daemon and returns its inspect", async () => {
    const docker = await daemon(INSPECT);
    expect(await findSelfContainer(docker, probe({ mountinfo: CONTAINER_MOUNTINFO }))).toEqual(INSPECT);
    expect(fake?.requests.map((r) => r.url)).toEqual([`/containers/${ID}/json`]);
  });

  it("is null on a VM, without asking the daemon anything", async () => {
    const docker = await daemon(INSPECT);
    expect(await findSelfContainer(docker, probe({ mountinfo: VM_MOUNTINFO }))).toBeNull();
    expect(fake?.requests).toEqual([]);
  });

  it("is null when the daemon does not know the container (another engine, e.g. Docker in Docker)", async () => {
    const docker = await daemon({ ...INSPECT, Id: OTHER });
    expect(await findSelfContainer(docker, probe({ mountinfo: CONTAINER_MOUNTINFO }))).toBeNull();
  });

  it("refuses a hostname prefix that names a different container", async () => {
    const docker = await daemon(INSPECT);
    // The daemon answers for the prefix (it matches ID), but the probe's hostname is a prefix of OTHER.
    expect(await findSelfContainer(docker, probe({ hostname: OTHER.slice(0, 12) }))).toBeNull();
    expect(await findSelfContainer(docker, probe({ hostname: ID.slice(0, 12) }))).toEqual(INSPECT);
  });
});

describe("applyHostView", () => {
  const cloudConfig = agentConfig({ data_dir: "/var/lib/dstack", host_data_dir: "/var/lib/dstack" });

  it("inside the daemon's container: runs join its network; bind sources are the host's paths", () => {
    const config = applyHostView(cloudConfig, INSPECT);
    expect(config.network_mode).toBe(`container:${ID}`);
    expect(config.host_data_dir).toBe("/tmp/fc/inst-1/data");
    const body = buildCreateBody(
      config,
      jobSpec({
        volumes: [
          { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false },
          { kind: "instance", instance_path: "/var/lib/dstack/shared", path: "/shared", optional: false },
        ],
      }),
      { sshPort: 10022, missingOptional: [], nvidia: false },
    );
    expect(body.HostConfig).toMatchObject({
      NetworkMode: `container:${ID}`,
      Binds: [
        "/tmp/fc/inst-1/data/runs/my-run/workflow:/workflow",
        // Not under a bind mount: the container's root filesystem as the host has it.
        "/var/lib/docker/overlay2/abc/merged/mnt/cache:/cache",
        "/tmp/fc/inst-1/data/shared:/shared",
      ],
    });
  });

  it("on a VM: host network, paths as they are", () => {
    const config = applyHostView(cloudConfig, null);
    expect(config).toEqual(cloudConfig);
    const body = buildCreateBody(
      config,
      jobSpec({
        volumes: [{ kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false }],
      }),
      { sshPort: 10022, missingOptional: [], nvidia: false },
    );
    expect(body.HostConfig).toMatchObject({
      NetworkMode: "host",
      Binds: ["/var/lib/dstack/runs/my-run/workflow:/workflow", "/mnt/cache:/cache"],
    });
  });

  it("keeps what the local backend writes explicitly", () => {
    const local = agentConfig({
      data_dir: "/var/lib/dstack",
      host_data_dir: "/home/u/.dstack/instances/i/data",
      network_mode: "container:dstack-i",
      instance_fs_in_data_dir: true,
    });
    const config = applyHostView(local, INSPECT);
    expect(config.network_mode).toBe("container:dstack-i");
    expect(config.host_data_dir).toBe("/home/u/.dstack/instances/i/data");
  });

  it("translates through the longest containing mount; other paths stay", () => {
    const mounts = [
      { path: "/var/lib/dstack/x", host_path: "/h/x" },
      { path: "/var/lib/dstack", host_path: "/h/d" },
    ];
    expect(toHostPath(mounts, "/var/lib/dstack/x/y")).toBe("/h/x/y");
    expect(toHostPath(mounts, "/var/lib/dstack")).toBe("/h/d");
    expect(toHostPath(mounts, "/var/lib/dstackish")).toBe("/var/lib/dstackish");
  });
});
