import { describe, expect, it } from "vitest";
import { errorAt, errors, json, run, warnings } from "./helpers.js";

describe("dev-environment normalization", () => {
  it("produces the documented shape with dstack's defaults", () => {
    const spec = json(run("type: dev-environment\nide: vscode\n"));
    expect(spec).toMatchObject({
      spec_version: 1,
      type: "dev-environment",
      name: null,
      ide: "vscode",
      resources: {
        cpu: { arch: null, count: { min: 2, max: null } },
        memory: { min: 8, max: null },
        shm_size: null,
        disk: { size: { min: 100, max: null } },
        gpu: null,
      },
      spot_policy: "on-demand",
      max_price: null,
      retry: null,
      inactivity_duration: "off",
      max_duration: "off",
      stop_duration: 300,
      idle_duration: 300,
      creation_policy: "reuse-or-create",
      env: {},
      ports: [],
      volumes: [],
      working_dir: "/workflow",
      init: [],
      build: [],
    });
  });

  it("normalizes the guide's resources example", () => {
    const spec = json(
      run(`type: dev-environment
name: vscode
ide: vscode
resources:
  cpu: 16..
  memory: 200GB..
  gpu: 40GB..80GB:4
  shm_size: 16GB
  disk: 500GB
`),
    );
    expect(spec.resources).toEqual({
      cpu: { arch: null, count: { min: 16, max: null } },
      memory: { min: 200, max: null },
      shm_size: 16,
      disk: { size: { min: 500, max: 500 } },
      gpu: {
        vendor: null,
        name: null,
        count: { min: 4, max: 4 },
        memory: { min: 40, max: 80 },
        total_memory: null,
        compute_capability: null,
      },
    });
  });

  it("gives memory and disk in GB, 512MB -> 0.5", () => {
    const spec = json(
      run("type: dev-environment\nide: vscode\nresources:\n  memory: 512MB\n  disk: {size: 1TB..}\n"),
    );
    expect(spec.resources).toMatchObject({
      memory: { min: 0.5, max: 0.5 },
      disk: { size: { min: 1024, max: null } },
    });
  });

  it("infers ARM from a Grace Hopper GPU", () => {
    expect(
      json(run("type: dev-environment\nide: vscode\nresources:\n  gpu: GH200\n")).resources,
    ).toMatchObject({ cpu: { arch: "arm" } });
  });

  it("reads `python: 3.10` unquoted as 3.10, not 3.1", () => {
    expect(json(run("type: dev-environment\nide: vscode\npython: 3.10\n")).python).toBe("3.10");
    expect(json(run('type: dev-environment\nide: vscode\npython: "3.12"\n')).python).toBe("3.12");
  });

  it("rejects a Python version the base image lacks", () => {
    expect(errorAt(run("type: dev-environment\nide: vscode\npython: 2.7\n"))).toEqual([
      "python invalid-value 3:9",
    ]);
  });

  it("converts durations to seconds and keeps off", () => {
    const spec = json(
      run(
        "type: dev-environment\nide: vscode\ninactivity_duration: 2h\nmax_duration: 1d\nstop_duration: 90s\nidle_duration: off\n",
      ),
    );
    expect(spec).toMatchObject({
      inactivity_duration: 7200,
      max_duration: 86400,
      stop_duration: 90,
      idle_duration: "off",
    });
  });

  it("keeps ports and volumes in their normalized forms", () => {
    const spec = json(
      run(`type: dev-environment
ide: vscode
ports: [8080, "80:8081", "*:9000"]
volumes:
  - my-volume:/volume_data/
  - /mnt/cache:/cache
  - name: [vol-eu, vol-us]
    path: /data
  - instance_path: /root/.cache
    path: /root/.cache
    optional: true
`),
    );
    expect(spec.ports).toEqual([
      { local: 8080, container: 8080 },
      { local: 80, container: 8081 },
      { local: null, container: 9000 },
    ]);
    expect(spec.volumes).toEqual([
      { kind: "network", name: ["my-volume"], path: "/volume_data" },
      { kind: "instance", instance_path: "/mnt/cache", path: "/cache", optional: false },
      { kind: "network", name: ["vol-eu", "vol-us"], path: "/data" },
      { kind: "instance", instance_path: "/root/.cache", path: "/root/.cache", optional: true },
    ]);
  });

  it("resolves working_dir inside /workflow and rejects escapes", () => {
    expect(json(run("type: dev-environment\nide: vscode\nworking_dir: src/app\n")).working_dir).toBe(
      "/workflow/src/app",
    );
    expect(errorAt(run("type: dev-environment\nide: vscode\nworking_dir: ../etc\n"))).toEqual([
      "working_dir invalid-value 3:14",
    ]);
  });

  it("maps the deprecated termination fields to idle_duration, with warnings", () => {
    const dont = run("type: dev-environment\nide: vscode\ntermination_policy: dont-destroy\n");
    expect(json(dont).idle_duration).toBe("off");
    expect(warnings(dont).map((w) => `${w.path} ${w.code} ${w.position?.line}`)).toEqual([
      "termination_policy deprecated 3",
    ]);
    const after = run(
      "type: dev-environment\nide: vscode\ntermination_policy: destroy-after-idle\ntermination_idle_time: 1h\n",
    );
    expect(json(after).idle_duration).toBe(3600);
    expect(warnings(after)).toHaveLength(2);
    const both = run("type: dev-environment\nide: vscode\nidle_duration: 10m\ntermination_idle_time: 1h\n");
    expect(json(both).idle_duration).toBe(600);
    expect(warnings(both)[0]?.hint).toMatch(/idle_duration is set and wins/);
  });

  it("maps the deprecated retry_policy to retry", () => {
    const result = run("type: dev-environment\nide: vscode\nretry_policy:\n  retry: true\n  limit: 4h\n");
    expect(json(result).retry).toEqual({
      on_events: ["no-capacity", "interruption", "error"],
      duration: 14400,
    });
    expect(warnings(result)[0]?.code).toBe("deprecated");
  });

  it("treats a registry password as a secret", () => {
    const result = run(
      "type: dev-environment\nide: vscode\nimage: ghcr.io/me/img\nregistry_auth:\n  username: me\n  password: ghp_topsecret\n",
    );
    const text = JSON.stringify(result.spec);
    expect(text).not.toContain("ghp_topsecret");
    expect(json(result).registry_auth).toEqual({ username: "me", password: "***" });
  });
});

describe("retry", () => {
  it.each([
    ["true", { on_events: ["no-capacity", "interruption", "error"], duration: 3600 }],
    ["false", null],
    ["{duration: 4h}", { on_events: ["no-capacity", "interruption", "error"], duration: 14400 }],
    ["{on_events: [no-capacity]}", { on_events: ["no-capacity"], duration: 3600 }],
    [
      "{on_events: [error, no-capacity], duration: 1d}",
      { on_events: ["no-capacity", "error"], duration: 86400 },
    ],
  ])("retry: %s", (value, expected) => {
    expect(json(run(`type: task\ncommands: [ls]\nretry: ${value}\n`)).retry).toEqual(expected);
  });
  it("rejects an empty list of events and unknown events", () => {
    expect(errorAt(run("type: task\ncommands: [ls]\nretry:\n  on_events: []\n"))).toEqual([
      "retry invalid-value 4:3",
    ]);
    const bad = run("type: task\ncommands: [ls]\nretry:\n  on_events: [no-capacty]\n");
    expect(errorAt(bad)).toEqual(["retry.on_events[0] invalid-value 4:15"]);
    expect(errors(bad)[0]?.hint).toBe('did you mean "no-capacity"?');
  });
});

describe("task, service, fleet, volume", () => {
  it("task: commands, nodes, ports", () => {
    const spec = json(run("type: task\ncommands: [python train.py]\nnodes: 2\nports: [6006]\n"));
    expect(spec).toMatchObject({
      type: "task",
      commands: ["python train.py"],
      nodes: 2,
      ports: [{ local: 6006, container: 6006 }],
      inactivity_duration: null,
    });
  });
  it("task: needs commands or an image", () => {
    expect(errorAt(run("type: task\ncommands: []\n"))).toEqual(["commands missing-key 2:11"]);
    expect(errorAt(run("type: task\n"))).toEqual([" missing-key 1:1"]);
  });
  it("service: parsed and validated", () => {
    const spec = json(
      run(
        "type: service\ncommands: [serve]\nport: 8000\nreplicas: 1..4\nscaling: {metric: rps, target: 10}\n",
      ),
    );
    expect(spec).toMatchObject({
      type: "service",
      port: 8000,
      replicas: { min: 1, max: 4 },
      scaling: { metric: "rps", target: 10 },
    });
  });
  it("service: a replica range needs scaling rules", () => {
    expect(errorAt(run("type: service\ncommands: [serve]\nport: 8000\nreplicas: 1..4\n"))).toEqual([
      "replicas missing-key 4:11",
    ]);
  });
  it.each([
    ["2", { min: 2, target: 2, max: 2 }],
    ["0..4", { min: 0, target: 0, max: 4 }],
    ['"1.."', { min: 1, target: 1, max: null }],
    ["{min: 0, target: 1, max: 4}", { min: 0, target: 1, max: 4 }],
  ])("fleet nodes: %s", (nodes, expected) => {
    const spec = json(run(`type: fleet\nnodes: ${nodes}\nresources:\n  gpu: A100:80GB:8\n`));
    expect(spec).toMatchObject({ nodes: expected, placement: "any", idle_duration: 259200 });
  });
  it("fleet: nodes out of order", () => {
    expect(errorAt(run("type: fleet\nnodes: {min: 2, target: 1}\n"))).toEqual(["nodes invalid-value 2:8"]);
    expect(errorAt(run("type: fleet\nresources: {gpu: 1}\n"))).toEqual([" missing-key 1:1"]);
  });
  it("fleet: ssh hosts take defaults from ssh_config", () => {
    const spec = json(
      run(
        "type: fleet\nname: on-prem\nssh_config:\n  user: ubuntu\n  identity_file: ~/.ssh/id_rsa\n  hosts:\n    - 3.255.177.51\n    - {hostname: 3.255.177.52, port: 2222}\n",
      ),
    );
    expect(spec).toMatchObject({
      nodes: { min: 2, target: 2, max: 2 },
      resources: null,
      ssh_config: {
        hosts: [
          { hostname: "3.255.177.51", port: 22, user: "ubuntu" },
          { hostname: "3.255.177.52", port: 2222, user: "ubuntu" },
        ],
      },
    });
  });
  it("volume: size in GB, region required except locally", () => {
    expect(
      json(run("type: volume\nname: my-volume\nbackend: aws\nregion: eu-central-1\nsize: 100GB\n")),
    ).toEqual({
      spec_version: 1,
      type: "volume",
      name: "my-volume",
      backend: "aws",
      region: "eu-central-1",
      availability_zone: null,
      size: 100,
      volume_id: null,
    });
    expect(errorAt(run("type: volume\nname: v1\nbackend: gcp\nsize: 10GB\n"))).toEqual([" missing-key 1:1"]);
    expect(json(run("type: volume\nname: cache\nbackend: local\nsize: 10GB\n")).region).toBe("local");
    expect(errorAt(run("type: volume\nname: v1\nbackend: aws\nregion: us-east-1\n"))).toEqual([
      " missing-key 1:1",
    ]);
    expect(
      json(run("type: volume\nname: v1\nbackend: aws\nregion: us-east-1\nvolume_id: vol-123\n")).size,
    ).toBeNull();
  });
});
