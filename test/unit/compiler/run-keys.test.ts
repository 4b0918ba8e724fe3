// Table-driven tests of the dev-environment and task keys dstack 0.22 accepts (issue 12): YAML in,
// normalized values or diagnostics out. Sources: dstack core/models/configurations.py, profiles.py.
import { describe, expect, it } from "vitest";
import { supportedBackends, unsupportedIn } from "../../../src/compiler/normalize/backends.js";
import { errorAt, errors, json, run, warnings } from "./helpers.js";

const codes = (ds: { path: string; code: string }[]) => ds.map((d) => `${d.path} ${d.code}`);

describe("1. a task runs its commands, or the image's own entrypoint", () => {
  it.each([
    ["image, no commands", "type: task\nimage: nginx\n", []],
    ["image, empty commands", "type: task\nimage: nginx\ncommands: []\n", []],
    ["commands, no image", "type: task\ncommands: [ls]\n", []],
    ["neither", "type: task\n", [" missing-key 1:1"]],
    ["empty commands, no image", "type: task\ncommands: []\n", ["commands missing-key 2:11"]],
    [
      "docker without commands (dstack needs commands or image)",
      "type: task\ndocker: true\n",
      [" missing-key 1:1"],
    ],
  ])("%s", (_what, yaml, expected) => {
    expect(errorAt(run(yaml))).toEqual(expected);
  });

  it("names both keys when both are missing", () => {
    const [error] = errors(run("type: task\n"));
    expect(error?.message).toContain('"commands" or "image"');
    expect(error?.hint).toContain("image:");
  });

  it("keeps an image-only task's commands empty", () => {
    expect(json(run("type: task\nimage: nginx\n"))).toMatchObject({ image: "nginx", commands: [] });
  });
});

describe("2. dev environments: no IDE by default, zed", () => {
  it.each([
    ["no ide: SSH only", "type: dev-environment\n", { ide: null, version: null }],
    ["zed", "type: dev-environment\nide: zed\n", { ide: "zed" }],
    [
      "windsurf version@commit",
      'type: dev-environment\nide: windsurf\nversion: "1.106.0@8951cd3a"\n',
      { version: "1.106.0@8951cd3a" },
    ],
  ])("%s", (_what, yaml, expected) => {
    expect(json(run(yaml))).toMatchObject(expected);
  });

  it.each([
    ["version without ide", 'type: dev-environment\nversion: "1.90"\n', ["version missing-key 2:1"]],
    [
      "windsurf version without commit",
      'type: dev-environment\nide: windsurf\nversion: "1.2"\n',
      ["version invalid-value 3:10"],
    ],
    [
      "entrypoint (dstack rejects it)",
      "type: dev-environment\nentrypoint: bash\n",
      ["entrypoint conflict 2:1"],
    ],
    ["an unknown IDE", "type: dev-environment\nide: zedd\n", ["ide invalid-value 2:6"]],
  ])("rejects %s", (_what, yaml, expected) => {
    expect(errorAt(run(yaml))).toEqual(expected);
  });
});

describe("3. docker, shell, privileged", () => {
  it.each([
    [
      "docker implies privileged",
      "type: task\ndocker: true\ncommands: [docker ps]\n",
      { docker: true, privileged: true },
    ],
    [
      "privileged alone",
      "type: task\nprivileged: true\ncommands: [x]\n",
      { docker: false, privileged: true },
    ],
    ["shell: bash", "type: task\nshell: bash\ncommands: [x]\n", { shell: "/bin/bash" }],
    ["shell: sh", "type: task\nshell: sh\ncommands: [x]\n", { shell: "/bin/sh" }],
    ["shell: absolute", "type: task\nshell: /usr/bin/zsh\ncommands: [x]\n", { shell: "/usr/bin/zsh" }],
    ["no shell: dstack's default by image", "type: task\ncommands: [x]\n", { shell: null }],
    ["docker with nvcc: false", "type: task\ndocker: true\nnvcc: false\ncommands: [x]\n", { docker: true }],
  ])("%s", (_what, yaml, expected) => {
    expect(json(run(yaml))).toMatchObject(expected);
  });

  it.each([
    [
      "docker with image",
      "type: task\ndocker: true\nimage: ubuntu\ncommands: [x]\n",
      ["docker conflict 2:1"],
    ],
    [
      "docker with python",
      'type: task\ndocker: true\npython: "3.11"\ncommands: [x]\n',
      ["docker conflict 2:1"],
    ],
    ["docker with nvcc", "type: task\ndocker: true\nnvcc: true\ncommands: [x]\n", ["docker conflict 2:1"]],
    ["a relative shell", "type: task\nshell: zsh\ncommands: [x]\n", ["shell invalid-value 2:8"]],
  ])("rejects %s", (_what, yaml, expected) => {
    expect(errorAt(run(yaml))).toEqual(expected);
  });

  it("warns that privileged: false has no effect with docker", () => {
    const result = run("type: task\ndocker: true\nprivileged: false\ncommands: [x]\n");
    expect(codes(warnings(result))).toEqual(["privileged ignored"]);
    expect(json(result).privileged).toBe(true);
  });
});

describe("4. profile parameters: utilization_policy, schedule, priority, stop_duration, instances, tags", () => {
  const task = (extra: string) => `type: task\ncommands: [x]\n${extra}`;
  it.each([
    [
      "utilization_policy",
      "utilization_policy: {min_gpu_utilization: 10, time_window: 30m}\n",
      { utilization_policy: { min_gpu_utilization: 10, time_window: 1800 } },
    ],
    [
      "schedule as one cron",
      'schedule: {cron: "0 8 * * mon-fri"}\n',
      { schedule: { cron: ["0 8 * * mon-fri"] } },
    ],
    [
      "schedule as a list",
      'schedule:\n  cron: ["*/15 * * * *", "0 0 last * *"]\n',
      { schedule: { cron: ["*/15 * * * *", "0 0 last * *"] } },
    ],
    ["priority", "priority: 100\n", { priority: 100 }],
    [
      "priority default",
      "",
      { priority: 0, schedule: null, utilization_policy: null, tags: null, instances: null },
    ],
    ["stop_duration off", "stop_duration: off\n", { stop_duration: "off" }],
    ["stop_duration: true is the default", "stop_duration: true\n", { stop_duration: 300 }],
    ["max_duration: true is the default", "max_duration: true\n", { max_duration: "off" }],
    ["idle_duration: -1 is off", "idle_duration: -1\n", { idle_duration: "off" }],
    ["idle_duration: true is the default", "idle_duration: true\n", { idle_duration: 300 }],
    [
      "instances in every form",
      "instances: [node-1, {name: node-2}, {hostname: 10.0.0.5}, {fleet: team/gpus, instance: 0}, {fleet: {name: f}, instance: 3}]\n",
      {
        instances: [
          { name: "node-1" },
          { name: "node-2" },
          { hostname: "10.0.0.5" },
          { fleet: { project: "team", name: "gpus" }, instance: 0 },
          { fleet: { project: null, name: "f" }, instance: 3 },
        ],
      },
    ],
    [
      "tags (numbers become text)",
      "tags: {team: ml-infra, cost_center: 42}\n",
      { tags: { team: "ml-infra", cost_center: "42" } },
    ],
    [
      "startup_order, stop_criteria",
      "startup_order: workers-first\nstop_criteria: master-done\n",
      { startup_order: "workers-first", stop_criteria: "master-done" },
    ],
    ["their defaults", "", { startup_order: "any", stop_criteria: "all-done" }],
  ])("%s", (_what, extra, expected) => {
    expect(json(run(task(extra)))).toMatchObject(expected);
  });

  it.each([
    [
      "utilization below 0",
      "utilization_policy: {min_gpu_utilization: -1, time_window: 30m}\n",
      ["utilization_policy.min_gpu_utilization invalid-value 3:43"],
    ],
    [
      "a time window under 5m",
      "utilization_policy: {min_gpu_utilization: 10, time_window: 4m}\n",
      ["utilization_policy.time_window invalid-value 3:60"],
    ],
    [
      "a policy without time_window",
      "utilization_policy: {min_gpu_utilization: 10}\n",
      ["utilization_policy missing-key 3:21"],
    ],
    ["a cron with 6 fields", 'schedule: {cron: "0 0 8 * * *"}\n', ["schedule.cron invalid-value 3:18"]],
    ["a cron macro", 'schedule: {cron: "@daily"}\n', ["schedule.cron invalid-value 3:18"]],
    ["an hour out of range", 'schedule: {cron: ["0 24 * * *"]}\n', ["schedule.cron[0] invalid-value 3:19"]],
    ["an empty cron list", "schedule: {cron: []}\n", ["schedule.cron invalid-value 3:18"]],
    ["priority above 100", "priority: 101\n", ["priority invalid-value 3:11"]],
    ["an empty instances list", "instances: []\n", ["instances invalid-value 3:12"]],
    [
      "a bad fleet reference",
      "instances: [{fleet: a/b/c, instance: 0}]\n",
      ["instances[0].fleet invalid-value 3:21"],
    ],
    ["a tag key with a space", 'tags: {"my tag": x}\n', ["tags.my tag invalid-value 3:8"]],
    ["a tag value with a comma", "tags: {team: 'a,b'}\n", ["tags.team invalid-value 3:14"]],
    ["a negative stop_duration", "stop_duration: -5\n", ["stop_duration invalid-value 3:16"]],
  ])("rejects %s", (_what, extra, expected) => {
    expect(errorAt(run(task(extra)))).toEqual(expected);
  });

  it.each([
    ["schedule", 'schedule: {cron: "0 8 * * *"}\n'],
    ["utilization_policy", "utilization_policy: {min_gpu_utilization: 5, time_window: 1h}\n"],
    ["priority", "priority: 10\n"],
    ["tags", "tags: {a: b}\n"],
    ["stop_duration", "stop_duration: 1m\n"],
    ["dstack", "dstack: true\n"],
  ])("says %s has no effect here yet", (key, extra) => {
    expect(codes(warnings(run(task(extra))))).toEqual([`${key} no-effect-here`]);
  });

  it("takes the extras from a profile, beneath the configuration", () => {
    const profiles = [
      {
        file: ".dstack/profiles.yml",
        text: "profiles:\n  - name: p\n    default: true\n    tags: {team: a}\n    stop_criteria: master-done\n",
      },
    ];
    expect(json(run(task("tags: {team: b}\n"), { profiles }))).toMatchObject({
      tags: { team: "b" },
      stop_criteria: "master-done",
    });
  });

  it.each([
    ["termination_policy", "termination_policy: dont-destroy\n"],
    ["termination_idle_time", "termination_idle_time: 1h\n"],
    ["retry_policy", "retry_policy: {retry: true}\n"],
  ])("says the legacy %s is rejected by dstack 0.20+", (key, extra) => {
    const [warning] = warnings(run(task(extra)));
    expect(warning).toMatchObject({ path: key, code: "deprecated" });
    expect(warning?.message).toContain("dstack 0.20 and later reject this key");
  });
});

describe("5. multi-node tasks", () => {
  const groups = `type: task
image: rayproject/ray
groups:
  - name: head
    commands: [ray start --head]
    ports: [8265]
  - nodes: 2
    commands: ["ray start --address=\${{ groups[0].nodes[0].IP_ADDRESS }}:6379"]
    resources: {gpu: H100:8}
`;
  it("normalizes groups: names by index, own resources, the nodes summed", () => {
    const spec = json(run(groups));
    expect(spec).toMatchObject({ nodes: 3, commands: [], ports: [] });
    const [head, workers] = spec.groups as Record<string, unknown>[];
    expect(head).toMatchObject({ name: "head", nodes: 1, ports: [{ local: 8265, container: 8265 }] });
    expect(head!.resources).toMatchObject({ gpu: null, memory: { min: 8, max: null } });
    expect(workers).toMatchObject({
      name: "1",
      nodes: 2,
      commands: ["ray start --address=${{ groups[0].nodes[0].IP_ADDRESS }}:6379"],
    });
    expect(workers!.resources).toMatchObject({ gpu: { count: { min: 8, max: 8 } } });
  });

  it.each([
    ["nodes", "type: task\ncommands: [x]\nnodes: 4\n", { nodes: 4, groups: null }],
    ["the default", "type: task\ncommands: [x]\n", { nodes: 1, groups: null }],
  ])("normalizes %s", (_what, yaml, expected) => {
    expect(json(run(yaml))).toMatchObject(expected);
  });

  it("warns that a multi-node task is refused here", () => {
    expect(codes(warnings(run("type: task\ncommands: [x]\nnodes: 2\n")))).toEqual(["nodes no-effect-here"]);
    expect(codes(warnings(run(groups)))).toEqual(["groups no-effect-here"]);
  });

  it.each([
    ["nodes with groups", "type: task\nnodes: 2\ngroups: [{commands: [x]}]\n", ["groups conflict 3:1"]],
    [
      "top-level commands with groups",
      "type: task\ncommands: [x]\ngroups: [{commands: [x]}]\n",
      ["commands conflict 2:1"],
    ],
    [
      "top-level ports with groups",
      "type: task\nports: [80]\ngroups: [{commands: [x]}]\n",
      ["ports conflict 2:1"],
    ],
    [
      "entrypoint with groups",
      "type: task\nentrypoint: sh\ngroups: [{commands: [x]}]\n",
      ["entrypoint conflict 2:1"],
    ],
    ["an empty groups list", "type: task\ngroups: []\n", ["groups invalid-value 2:9"]],
    [
      "a group without commands or image",
      "type: task\ngroups: [{nodes: 2}]\n",
      ["groups[0] missing-key 2:10"],
    ],
    [
      "duplicate names",
      "type: task\ngroups: [{name: a, commands: [x]}, {name: a, commands: [y]}]\n",
      ["groups[1].name duplicate 2:43"],
    ],
    [
      "a bad name",
      "type: task\ngroups: [{name: A_B, commands: [x]}]\n",
      ["groups[0].name invalid-value 2:17"],
    ],
    [
      "an IP ref out of range",
      'type: task\ngroups: [{commands: ["echo ${{ groups[1].nodes[0].IP_ADDRESS }}"]}]\n',
      ["groups[0].commands[0] invalid-value 2:22"],
    ],
    [
      "an IP ref without groups",
      'type: task\ncommands: ["echo ${{ groups[0].nodes[0].IP_ADDRESS }}"]\n',
      ["commands[0] unknown-expression 2:12"],
    ],
  ])("rejects %s", (_what, yaml, expected) => {
    expect(errorAt(run(yaml))).toEqual(expected);
  });
});

describe("6. interpolation", () => {
  it.each([
    [
      "${{ run.args }} from dstack apply -- ARGS",
      "commands: ['python train.py ${{ run.args }}']\n",
      { runArgs: ["--lr", "1e-4", "a b"] },
      ["python train.py --lr 1e-4 'a b'"],
    ],
    ["${{ run.args }} without arguments", "commands: ['echo ${{run.args}}.']\n", {}, ["echo ."]],
    ["$$ is a literal $", "commands: ['echo $$${{ run.args }}', 'kill $$']\n", {}, ["echo $", "kill $"]],
    [
      "a secret stays as written in commands",
      "commands: ['echo ${{ secrets.TOKEN }}']\n",
      {},
      ["echo ${{ secrets.TOKEN }}"],
    ],
    ["$${{ is a literal ${{", "commands: ['echo $${{ run.args }}']\n", {}, ["echo ${{ run.args }}"]],
  ])("commands: %s", (_what, extra, input, expected) => {
    expect(json(run(`type: task\n${extra}`, input)).commands).toEqual(expected);
  });

  it.each([
    [
      "${{ run.name }}",
      "commands: ['echo ${{ run.name }}']\n",
      "commands[0] unknown-expression 2:12",
      "$DSTACK_RUN_NAME",
    ],
    [
      "${{ dstack.node_rank }} in commands",
      "commands: ['echo ${{ dstack.node_rank }}']\n",
      "commands[0] unknown-expression 2:12",
      "$DSTACK_NODE_RANK",
    ],
    ["an unclosed ${{", "commands: ['echo ${{ run.args']\n", "commands[0] invalid-value 2:12", "$${{"],
    [
      "a malformed name",
      "commands: ['echo ${{ a.b.c }}']\n",
      "commands[0] invalid-value 2:12",
      "namespace.name",
    ],
    ["${{ env.X }} in env", "env: ['A=${{ env.B }}']\n", "env[0] unknown-expression 3:7", undefined],
    [
      "${{ run.name }} in a volume name",
      "volumes: ['data-${{ run.name }}:/data']\n",
      "volumes[0] unknown-expression 3:11",
      undefined,
    ],
  ])("rejects %s", (_what, extra, expected, hint) => {
    const result = run(`type: task\ncommands: [x]\n${extra}`.replace("commands: [x]\ncommands", "commands"));
    expect(errorAt(result)).toEqual([expected]);
    if (hint !== undefined) expect(errors(result)[0]?.hint ?? "").toContain(hint);
  });

  it("keeps per-node expressions in volume names (resolved per node at submission)", () => {
    const spec = json(
      run(
        "type: task\ncommands: [x]\nvolumes: ['data-${{ dstack.node_rank }}:/data', {name: 'ckpt-${{ dstack.job_num }}', path: /ckpt}]\n",
      ),
    );
    expect(spec.volumes).toEqual([
      { kind: "network", name: ["data-${{ dstack.node_rank }}"], path: "/data" },
      { kind: "network", name: ["ckpt-${{ dstack.job_num }}"], path: "/ckpt" },
    ]);
  });

  it("resolves ${{ env.NAME }} in registry_auth from env, and warns about secrets", () => {
    const result = run(
      "type: task\nimage: ghcr.io/me/private\nenv: [GHCR_USER=me, GHCR_TOKEN]\nregistry_auth: {username: '${{ env.GHCR_USER }}', password: '${{ env.GHCR_TOKEN }}'}\n",
      { env: { cli: [], process: { GHCR_TOKEN: "t0ken" } } },
    );
    expect(result.spec?.type === "task" && result.spec.registry_auth?.username).toBe("me");
    expect(result.spec?.type === "task" && result.spec.registry_auth?.password.reveal()).toBe("t0ken");
    const secret = run("type: task\nimage: x\nenv: ['HF_TOKEN=${{ secrets.HF_TOKEN }}']\n");
    expect(codes(warnings(secret))).toEqual(["env[0] no-secrets"]);
  });

  it("never quotes a registry password in a message", () => {
    const result = run("type: task\nimage: x\nregistry_auth: {username: u, password: 'hunter2${{ oops'}\n");
    expect(JSON.stringify(result.diagnostics)).not.toContain("hunter2");
    expect(errorAt(result)).toEqual(["registry_auth.password invalid-value 3:40"]);
  });

  it("reads $$ in env values as $ (dstack's server does)", () => {
    expect(json(run("type: task\ncommands: [x]\nenv: {PRICE: 'a$$b'}\n")).env).toEqual({ PRICE: "a$b" });
  });
});

describe("7. backends dstack has and this project does not provision", () => {
  it("accepts them, warns with their names, and keeps them in the spec", () => {
    const result = run("type: task\ncommands: [x]\nbackends: [aws, kubernetes, runpod]\n");
    expect(json(result).backends).toEqual(["aws", "kubernetes", "runpod"]);
    const [warning] = warnings(result);
    expect(warning).toMatchObject({ code: "unsupported-backend", path: "backends" });
    expect(warning?.message).toContain("kubernetes, runpod");
  });

  it("says when no allowed backend can be provisioned", () => {
    const [warning] = warnings(run("type: task\ncommands: [x]\nbackends: [lambda]\n"));
    expect(warning?.message).toContain("apply will fail");
  });

  it.each([
    ["a near miss", "backends: [kubernets]\n", 'did you mean "kubernetes"?'],
    ["no backend at all", "backends: [myclod]\n", undefined],
  ])("rejects %s", (_what, extra, hint) => {
    const result = run(`type: task\ncommands: [x]\n${extra}`);
    expect(errorAt(result)).toEqual(["backends[0] invalid-value 3:12"]);
    if (hint !== undefined) expect(errors(result)[0]?.hint).toBe(hint);
  });

  it("does the same for -b flags", () => {
    const ok = run("type: task\ncommands: [x]\n", { overrides: { backends: ["vastai"] } });
    expect(codes(warnings(ok))).toEqual(["--backend unsupported-backend"]);
    const bad = run("type: task\ncommands: [x]\n", { overrides: { backends: ["vastia"] } });
    expect(errors(bad)[0]).toMatchObject({ path: "--backend", hint: 'did you mean "vastai"?' });
  });
});

describe("supportedBackends / unsupportedIn (for apply's error)", () => {
  it.each([
    [null, null, []],
    [["aws", "runpod"], ["aws"], ["runpod"]],
    [["lambda", "vastai"], [], ["lambda", "vastai"]],
  ] as const)("%j", (backends, supported, unsupported) => {
    const spec = { backends: backends === null ? null : [...backends] };
    expect(supportedBackends(spec)).toEqual(supported);
    expect(unsupportedIn(spec)).toEqual(unsupported);
  });
});
