import { describe, expect, it } from "vitest";
import { compile, type CompileInput } from "../../../src/compiler/compile.js";
import type { DevEnvironmentSpec, TaskSpec } from "../../../src/compiler/spec.js";
import { buildJobSpec, type JobSpecOptions } from "../../../src/runs/job-spec.js";
import { parseJobSpec, type JobSpec } from "../../../src/runtime-agent/spec.js";

const OPTS: JobSpecOptions = {
  runName: "dev",
  repoId: "0123456789abcdef",
  sshAuthorizedKeys: ["ssh-ed25519 AAAA dstack"],
  gpus: 0,
  availableBaseImages: ["dstack/base:py3.11"],
};

function specOf(text: string, extra: Partial<CompileInput> = {}): DevEnvironmentSpec | TaskSpec {
  const result = compile({ file: "x.dstack.yml", text, ...extra });
  const spec = result.spec;
  if (spec === null || (spec.type !== "dev-environment" && spec.type !== "task"))
    throw new Error(`not a run: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return spec;
}

function jobOf(text: string, opts: Partial<JobSpecOptions> = {}, extra: Partial<CompileInput> = {}): JobSpec {
  const result = buildJobSpec(specOf(text, extra), { ...OPTS, ...opts });
  if ("error" in result) throw new Error(result.error);
  // What we build must be what the agent accepts.
  const parsed = parseJobSpec(JSON.parse(JSON.stringify(result.job)));
  expect(parsed).toEqual({ spec: result.job });
  return result.job;
}

function errorOf(result: ReturnType<typeof buildJobSpec>): { error: string; hint: string } {
  if (!("error" in result)) throw new Error("expected an error");
  return result;
}

describe("buildJobSpec", () => {
  it("maps a dev environment onto the base image, with init and ports", () => {
    const job = jobOf(
      "type: dev-environment\nide: vscode\ninit: [pip install -r requirements.txt]\n" +
        "ports: [8888, '80:8080']\ninactivity_duration: 30m\nresources:\n  shm_size: 8GB\n",
      { gpus: 1 },
    );
    expect(job).toEqual({
      spec_version: 1,
      name: "dev",
      kind: "dev-environment",
      image: "dstack/base:py3.11",
      pull: false,
      repo_id: "0123456789abcdef",
      repo_upload: true,
      env: {},
      ports: [8888, 8080],
      volumes: [],
      working_dir: "/workflow",
      privileged: false,
      commands: [],
      init: ["pip install -r requirements.txt"],
      shm_size_gb: 8,
      gpus: 1,
      ssh_authorized_keys: ["ssh-ed25519 AAAA dstack"],
      inactivity_duration: 1800,
      max_duration: null,
    });
  });

  it("maps a task with its image, commands, user, entrypoint and limits", () => {
    const job = jobOf(
      "type: task\nimage: python:3.12-slim\ncommands: [python train.py, echo done]\n" +
        "user: '1000:1000'\nentrypoint: /bin/bash -lc\nprivileged: true\nworking_dir: /workflow/src\n" +
        "max_duration: 2h\n",
      { runName: "train" },
    );
    expect(job).toMatchObject({
      name: "train",
      kind: "task",
      image: "python:3.12-slim",
      pull: false,
      commands: ["python train.py", "echo done"],
      init: [],
      user: "1000:1000",
      entrypoint: "/bin/bash -lc",
      privileged: true,
      working_dir: "/workflow/src",
      shm_size_gb: null,
      inactivity_duration: null,
      max_duration: 7200,
    });
  });

  it("reveals secrets in the job only", () => {
    const text =
      "type: task\nimage: registry.example/img\ncommands: [env]\nenv:\n  - PLAIN=visible\n  - HF_TOKEN\n" +
      "registry_auth:\n  username: bot\n  password: hunter2\n";
    const env = { cli: [], process: { HF_TOKEN: "hf_secret" } };
    const spec = specOf(text, { env });
    // The compiled spec keeps them redacted...
    expect(JSON.stringify(spec)).not.toContain("hf_secret");
    expect(JSON.stringify(spec)).not.toContain("hunter2");
    // ...the job carries the values the container needs.
    const job = jobOf(text, {}, { env });
    expect(job.env).toEqual({ PLAIN: "visible", HF_TOKEN: "hf_secret" });
    expect(job.registry_auth).toEqual({ username: "bot", password: "hunter2" });
    // The agent adds the system variables itself (and they win): we do not duplicate them.
    expect(Object.keys(job.env).filter((k) => k.startsWith("DSTACK_"))).toEqual([]);
  });

  it("says plainly when the requested Python cannot be had offline", () => {
    const result = buildJobSpec(specOf('type: dev-environment\nide: vscode\npython: "3.12"\n'), OPTS);
    expect(result).toEqual({
      error:
        "Python 3.12 cannot be had offline on this machine: no dstack/base:py3.12 image " +
        "(scripts/build-instance-image built only: dstack/base:py3.11)",
      hint: 'use python: "3.11", or set `image` to a local image that has Python 3.12',
    });
  });

  it("reports a missing default base image too", () => {
    const result = buildJobSpec(specOf("type: task\ncommands: [echo hi]\n"), {
      ...OPTS,
      availableBaseImages: [],
    });
    expect(errorOf(result).error).toContain("Python 3.11 cannot be had offline");
    expect(errorOf(result).error).toContain("built only: none");
  });

  it("refuses nvcc without an image: no CUDA base image offline", () => {
    const result = buildJobSpec(specOf("type: task\nnvcc: true\ncommands: [nvcc --version]\n"), OPTS);
    expect(errorOf(result).error).toContain("nvcc: true needs dstack's CUDA base image");
    expect(errorOf(result).hint).toContain("`image`");
  });

  it("mounts the first network volume alternative and instance volumes as they are", () => {
    const job = jobOf(
      "type: dev-environment\nide: vscode\nvolumes:\n  - name: [data-a, data-b]\n    path: /data\n" +
        "  - /mnt/cache:/cache\n  - instance_path: /mnt/opt\n    path: /opt/x\n    optional: true\n",
    );
    expect(job.volumes).toEqual([
      { kind: "network", name: "data-a", path: "/data" },
      { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false },
      { kind: "instance", instance_path: "/mnt/opt", path: "/opt/x", optional: true },
    ]);
  });

  it("binds a network volume to the Docker volume its record names (a registered one's volume_id)", () => {
    const job = jobOf("type: task\ncommands: [x]\nvolumes: [data:/data, other:/other]\n", {
      volumeName: (name) => (name === "data" ? "existing-docker-volume" : name),
    });
    expect(job.volumes).toEqual([
      { kind: "network", name: "existing-docker-volume", path: "/data" },
      { kind: "network", name: "other", path: "/other" },
    ]);
  });

  it("names the guest devices of a cloud volume attached to the instance", () => {
    const job = jobOf("type: task\ncommands: [x]\nvolumes: [data:/data, other:/other]\n", {
      volumeDevices: (name) => (name === "data" ? ["/dev/sdf", "/dev/xvdf"] : undefined),
    });
    expect(job.volumes).toEqual([
      { kind: "network", name: "data", path: "/data", devices: ["/dev/sdf", "/dev/xvdf"] },
      { kind: "network", name: "other", path: "/other" },
    ]);
  });

  it("turns durations into seconds, and off into null", () => {
    const on = jobOf("type: dev-environment\nide: vscode\ninactivity_duration: 90s\nmax_duration: 1d\n");
    expect([on.inactivity_duration, on.max_duration]).toEqual([90, 86400]);
    const off = jobOf("type: dev-environment\nide: vscode\ninactivity_duration: off\nmax_duration: off\n");
    expect([off.inactivity_duration, off.max_duration]).toEqual([null, null]);
  });
});

describe("buildJobSpec: keys dstack 0.22 has (issue 12)", () => {
  it("runs docker: true on dstack's dind image, privileged, starting dockerd first", () => {
    const task = jobOf("type: task\ndocker: true\ncommands: [docker run hello-world]\n");
    expect(task).toMatchObject({
      image: "dstackai/dind",
      privileged: true,
      commands: ["start-dockerd", "docker run hello-world"],
    });
    const dev = jobOf("type: dev-environment\ndocker: true\ninit: [docker ps]\n");
    expect(dev).toMatchObject({ image: "dstackai/dind", init: ["start-dockerd", "docker ps"] });
  });

  it.each([
    ["shell: bash", "shell: bash\n", "/bin/bash -i -c"],
    ["an absolute shell", "shell: /usr/bin/zsh\n", "/usr/bin/zsh -i -c"],
    ["entrypoint wins over shell", "shell: bash\nentrypoint: /bin/sh -c\n", "/bin/sh -c"],
    ["neither: the agent's default", "", undefined],
  ])("runs commands with %s", (_what, extra, entrypoint) => {
    expect(jobOf(`type: task\nimage: ubuntu\ncommands: [x]\n${extra}`).entrypoint).toBe(entrypoint);
  });

  it("leaves a task without commands to the image's own command", () => {
    expect(jobOf("type: task\nimage: nginx\n")).toMatchObject({ commands: [], image: "nginx" });
  });

  it("mounts node 0's volume for ${{ dstack.node_rank }}", () => {
    const job = jobOf("type: task\ncommands: [x]\nvolumes: ['data-${{ dstack.node_rank }}:/data']\n");
    expect(job.volumes).toEqual([{ kind: "network", name: "data-0", path: "/data" }]);
  });

  it.each([
    ["nodes: 2", "type: task\ncommands: [x]\nnodes: 2\n", "needs 2 nodes"],
    [
      "node groups",
      "type: task\nimage: x\ngroups: [{commands: [a]}, {nodes: 2, commands: [b]}]\n",
      "needs 3 nodes (node groups)",
    ],
    [
      "a secret in env",
      "type: task\ncommands: [x]\nenv: ['HF_TOKEN=${{ secrets.HF_TOKEN }}']\n",
      "env.HF_TOKEN needs dstack's secrets",
    ],
    [
      "a secret in registry_auth",
      "type: task\nimage: x\nregistry_auth: {username: u, password: '${{ secrets.P }}'}\n",
      "registry_auth.password needs",
    ],
  ])("refuses %s before anything starts", (_what, text, message) => {
    expect(errorOf(buildJobSpec(specOf(text), OPTS)).error).toContain(message);
  });

  it("runs a secret reference overridden with -e", () => {
    const job = jobOf(
      "type: task\ncommands: [x]\nenv: ['HF_TOKEN=${{ secrets.HF_TOKEN }}']\n",
      {},
      {
        env: { cli: ["HF_TOKEN=hf_x"], process: {} },
      },
    );
    expect(job.env).toEqual({ HF_TOKEN: "hf_x" });
  });
});
