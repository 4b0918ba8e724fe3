// The Docker create body: labels, network namespace, bind sources on the daemon's side, GPUs, env.
import { describe, expect, it } from "vitest";
import { buildCreateBody, containerName } from "../../../src/runtime-agent/container-config.js";
import { agentConfig, jobSpec } from "./helpers.js";

const ctx = { sshPort: 10023, missingOptional: [], nvidia: false };
type Body = { HostConfig: Record<string, unknown>; Env: string[]; [k: string]: unknown };

describe("buildCreateBody", () => {
  it("labels the container and runs the script as the main process in the configured netns", () => {
    const body = buildCreateBody(agentConfig({ network_mode: "container:inst-1" }), jobSpec(), ctx) as Body;
    expect(body.Labels).toEqual({
      "dstack.run": "my-run",
      "dstack.instance": "inst-1",
      "dstack.managed": "true",
    });
    expect(body.Entrypoint).toEqual(["/bin/sh", "-c"]);
    expect((body.Cmd as string[])[0]).toContain("Port 10023\n");
    expect(body.HostConfig.NetworkMode).toBe("container:inst-1");
    expect(body.WorkingDir).toBe("/workflow");
    expect(body).not.toHaveProperty("ExposedPorts"); // not allowed with a shared network namespace
    expect(body).not.toHaveProperty("User");
  });

  it("gives every container dstack's system variables of a one-node run after the user's env", () => {
    const body = buildCreateBody(
      agentConfig(),
      jobSpec({ env: { A: "1", DSTACK_RUN_NAME: "spoof" }, gpus: 2 }),
      { ...ctx, nodeIp: "10.0.0.7" },
    ) as Body;
    expect(body.Env).toEqual([
      "A=1",
      "DSTACK_RUN_NAME=my-run",
      "DSTACK_REPO_ID=repo-1",
      "DSTACK_GPUS_NUM=2",
      "DSTACK_GPUS_PER_NODE=2",
      "DSTACK_NODE_RANK=0",
      "DSTACK_NODES_NUM=1",
      "DSTACK_MASTER_NODE_IP=10.0.0.7",
      "DSTACK_NODES_IPS=10.0.0.7",
      "DSTACK_WORKING_DIR=/workflow",
      "DSTACK_REPO_DIR=/workflow",
    ]);
  });

  it("passes the image's own command to the script of a task without commands", () => {
    const body = buildCreateBody(agentConfig(), jobSpec({ kind: "task", commands: [] }), {
      ...ctx,
      imageCommand: ["nginx", "-g", "daemon off;"],
    }) as Body;
    expect((body.Cmd as string[]).slice(1)).toEqual(["dstack-run", "nginx", "-g", "daemon off;"]);
  });

  it("translates bind sources from data_dir to host_data_dir, and instance paths under instance-fs", () => {
    const config = agentConfig({
      data_dir: "/var/lib/dstack",
      host_data_dir: "/home/u/.dstack/instances/inst-1",
      instance_fs_in_data_dir: true,
    });
    const spec = jobSpec({
      volumes: [
        { kind: "network", name: "data-vol", path: "/data" },
        { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false },
        { kind: "instance", instance_path: "/mnt/missing", path: "/m", optional: true },
      ],
    });
    const body = buildCreateBody(config, spec, { ...ctx, missingOptional: ["/mnt/missing"] }) as Body;
    expect(body.HostConfig.Binds).toEqual([
      "/home/u/.dstack/instances/inst-1/runs/my-run/workflow:/workflow",
      "data-vol:/data",
      "/home/u/.dstack/instances/inst-1/instance-fs/mnt/cache:/cache",
    ]);
  });

  it("on a VM, instance paths are used as they are", () => {
    const spec = jobSpec({
      volumes: [{ kind: "instance", instance_path: "/mnt/c", path: "/c", optional: false }],
    });
    expect((buildCreateBody(agentConfig(), spec, ctx) as Body).HostConfig.Binds).toContain("/mnt/c:/c");
  });

  it("sets shm size, privileged, user, and GPUs through the NVIDIA runtime", () => {
    const spec = jobSpec({ shm_size_gb: 1.5, privileged: true, user: "1000:1000", gpus: 2 });
    const body = buildCreateBody(agentConfig(), spec, { ...ctx, nvidia: true }) as Body;
    expect(body.User).toBe("1000:1000");
    expect(body.HostConfig).toMatchObject({
      ShmSize: 1610612736,
      Privileged: true,
      DeviceRequests: [{ Driver: "nvidia", Count: 2, Capabilities: [["gpu"]] }],
    });
    expect(body.Env).toContain("DSTACK_GPUS_NUM=2");
    expect(buildCreateBody(agentConfig(), jobSpec(), ctx).HostConfig).not.toHaveProperty("DeviceRequests");
  });

  it("names containers after the instance and the run", () => {
    expect(containerName(agentConfig(), "my-run")).toBe("inst-1-my-run");
  });
});
