// Services, table-driven: YAML in, normalized values or diagnostics out, following dstack's
// ServiceConfiguration (dstack `core/models/configurations.py`, `services.py`).
import { describe, expect, it } from "vitest";
import { errors, json, run, warnings } from "./helpers.js";

const BASE = "type: service\ncommands: [serve]\nport: 8000\n";
const svc = (extra: string) => run(BASE + extra);
/** Each error as `path code line:col message`. */
const errorLines = (text: string) =>
  errors(run(text)).map((d) => `${d.path} ${d.code} ${d.position?.line}:${d.position?.col} ${d.message}`);

describe("port", () => {
  it.each([
    ["8000", 8000],
    ['"8000"', 8000],
    ['"80:8000"', 8000],
    ["{container_port: 8000}", 8000],
    ["{local_port: 80, container_port: 8000}", 8000],
  ])("port: %s is the container port %i", (port, expected) => {
    expect(json(run(`type: service\ncommands: [x]\nport: ${port}\n`)).port).toBe(expected);
  });

  it("a missing port is a missing required key, with an example", () => {
    const result = run("type: service\ncommands: [x]\n");
    expect(errors(result).map((d) => [d.path, d.code, d.message, d.hint])).toEqual([
      ["", "missing-key", 'missing required key "port"', "add port: 8000"],
    ]);
  });

  it.each([
    ['"*:8000"', '"*:8000" is not a service port'],
    ["0", "0 is too small: the minimum is 1"],
    ['"80:70000"', "70000 is not a port number (1 to 65535)"],
    ["[8000]", "expected the port the service listens on, such as 8000, got a list"],
  ])("port: %s is rejected: %s", (port, message) => {
    const found = errors(run(`type: service\ncommands: [x]\nport: ${port}\n`));
    expect(found.map((d) => d.path)).toEqual(["port"]);
    expect(found[0]!.message).toContain(message.replace(/ \(1 to 65535\)$/, ""));
  });
});

describe("commands or image", () => {
  it("an image without commands runs the image's entrypoint", () => {
    expect(json(run("type: service\nimage: my-app:latest\nport: 80\n")).commands).toEqual([]);
  });

  it("neither commands nor image: one missing-key error that names both", () => {
    expect(errorLines("type: service\nport: 80\n")).toEqual([
      ' missing-key 1:1 missing required key "commands" (or "image")',
    ]);
  });
});

describe("replicas and scaling", () => {
  const defaults = { window: 60, scale_up_delay: 300, scale_down_delay: 600 };
  it.each([
    ["", { replicas: { min: 1, max: 1 }, scaling: null }],
    ["replicas: 3\n", { replicas: { min: 3, max: 3 }, scaling: null }],
    ["replicas: 0\n", { replicas: { min: 0, max: 0 }, scaling: null }],
    [
      "replicas: 0..4\nscaling: {metric: rps, target: 10}\n",
      { replicas: { min: 0, max: 4 }, scaling: { metric: "rps", target: 10, ...defaults } },
    ],
    [
      'replicas: "..2"\nscaling: {metric: rps, target: 0.5}\n',
      { replicas: { min: 0, max: 2 }, scaling: { metric: "rps", target: 0.5, ...defaults } },
    ],
    [
      "replicas: {min: 1, max: 3}\nscaling: {metric: rps, target: 1, window: 5m, scale_up_delay: 30s, scale_down_delay: 1h}\n",
      {
        replicas: { min: 1, max: 3 },
        scaling: { metric: "rps", target: 1, window: 300, scale_up_delay: 30, scale_down_delay: 3600 },
      },
    ],
  ])("%j", (extra, expected) => {
    expect(json(svc(extra))).toMatchObject({ ...expected, groups: null });
  });

  it.each([
    ["replicas: 1..4\n", "replicas missing-key 4:11 a range of replicas needs scaling rules"],
    [
      'replicas: "1.."\nscaling: {metric: rps, target: 1}\n',
      "replicas invalid-value 4:11 the maximum number of replicas is required",
    ],
    [
      "replicas: 2\nscaling: {metric: rps, target: 1}\n",
      "scaling conflict 5:1 scaling needs a range of replicas, but replicas is fixed at 2",
    ],
    [
      "replicas: 0..2\nscaling: {metric: rps, target: 0}\n",
      "scaling.target invalid-value 5:32 0 is too small: the minimum is 0 (exclusive)",
    ],
    [
      "replicas: 0..2\nscaling: {metric: requests, target: 1}\n",
      'scaling.metric invalid-value 5:19 "requests" is not one of rps',
    ],
    [
      "replicas: 0..2\nscaling: {metric: rps, target: 1, window: 45s}\n",
      "scaling.window invalid-value 5:43 a window of 45s is not one dstack computes",
    ],
    ["replicas: 4..2\n", 'replicas invalid-value 4:11 "4..2" has a minimum greater than its maximum'],
  ])("%j is rejected, once", (extra, expected) => {
    expect(errorLines(BASE + extra)).toEqual([expected]);
  });

  it("scaling without replicas: dstack runs 1 replica, so the rules are dropped with a warning", () => {
    const result = svc("scaling: {metric: rps, target: 1}\n");
    expect(json(result)).toMatchObject({ replicas: { min: 1, max: 1 }, scaling: null });
    expect(warnings(result).map((d) => `${d.path} ${d.code}`)).toEqual(["scaling ignored"]);
  });
});

describe("replica groups", () => {
  const GROUPS = `type: service
port: 8000
replicas:
  - count: 1
    image: lmsysorg/sglang
    commands: [router]
    router: {type: sglang}
  - name: decode
    count: 1..4
    scaling: {metric: rps, target: 2}
    python: 3.10
    resources: {gpu: H100:2}
    commands: [decode]
`;

  it("replicas: [...] with count, and groups: [...] with replicas, mean the same", () => {
    const legacy = json(run(GROUPS));
    const current = json(run(GROUPS.replace("replicas:\n", "groups:\n").replaceAll("count:", "replicas:")));
    expect(current).toEqual(legacy);
    expect(legacy).toMatchObject({
      replicas: null,
      scaling: null,
      groups: [
        {
          name: "0",
          replicas: { min: 1, max: 1 },
          router: { type: "sglang" },
          commands: ["router"],
          python: null,
        },
        {
          name: "decode",
          replicas: { min: 1, max: 4 },
          scaling: { target: 2, window: 60 },
          python: "3.10",
          router: null,
          resources: {
            gpu: { name: ["H100"], count: { min: 2, max: 2 } },
            cpu: { count: { min: 2, max: null } },
          },
        },
      ],
    });
  });

  it("a group gets dstack's default resources, not the service's, and service resources are flagged unused", () => {
    const result = run(GROUPS + "resources: {gpu: A100}\n");
    expect(json(result)).toMatchObject({
      resources: { gpu: null },
      groups: [{ resources: { gpu: null } }, {}],
    });
    expect(warnings(result).map((d) => `${d.path} ${d.code}`)).toEqual(["resources ignored"]);
  });

  /** A service with one replica group per body (a body's lines are the group's keys). */
  const group = (bodies: string | string[], service = "image: x\n") =>
    `type: service\n${service}port: 80\nreplicas:\n${[bodies]
      .flat()
      .map((b) => `  - ${b.replaceAll("\n", "\n    ")}\n`)
      .join("")}`;
  it.each([
    [
      group("commands: [a]"),
      'replicas[0] missing-key 5:5 missing required key "count" (or "replicas") in the replica group',
    ],
    [
      group("count: 1..3\ncommands: [a]"),
      "replicas[0].count missing-key 5:12 a range of replicas needs scaling rules",
    ],
    [
      group("count: 1\nscaling: {metric: rps, target: 1}\ncommands: [a]"),
      "replicas[0].scaling conflict 6:5 scaling needs a range of replicas, but count is fixed at 1",
    ],
    [
      group("count: 1", "python: '3.12'\n"),
      'replicas[0] missing-key 5:5 replica group "0" has nothing to run: missing required key "commands" (or "image")',
    ],
    [
      group("count: 1\nimage: y\ncommands: [a]"),
      'image conflict 2:1 image is set at the service level and in replica group(s) "0"',
    ],
    [
      group("count: 1\ndocker: true\ncommands: [a]"),
      'image conflict 2:1 the service\'s image conflicts with docker in replica group(s) "0": they choose the image in different ways',
    ],
    [
      group("count: 1\nimage: y\npython: '3.12'\ncommands: [a]", ""),
      "replicas[0].python conflict 6:5 cannot be used together with image in a replica group",
    ],
    [
      group("count: 1\ndocker: true\nprivileged: false\ncommands: [a]", ""),
      "replicas[0].privileged conflict 6:5 cannot be used together with docker: true in a replica group",
    ],
    [
      group("count: 2\nrouter: {type: dynamo}\ncommands: [a]"),
      "replicas[0] invalid-value 5:5 the router group must have exactly 1 replica, not 2",
    ],
    [
      group("name: Decode\ncount: 1\ncommands: [a]"),
      'replicas[0].name invalid-value 5:11 "Decode" is not a valid replica group name: use 1 to 40 lowercase letters, digits and dashes, starting with a letter or digit',
    ],
    [
      group(["count: 1\ncommands: [a]", "count: 1\nname: '0'\ncommands: [b]"]),
      'replicas[1].name duplicate 8:11 replica group name "0" is used twice',
    ],
    [
      group("count: 1\ncommands: [a]", "image: x\nscaling: {metric: rps, target: 1}\n"),
      "scaling conflict 3:1 service-level scaling is not allowed with replica groups",
    ],
    [
      group("count: 1\ncommands: [a]", "image: x\ncommands: [b]\n"),
      "commands conflict 3:1 service-level commands are not allowed with replica groups",
    ],
    [
      group("count: 1\ncommands: [a]\nrouter: {type: nginx}"),
      'replicas[0].router.type invalid-value 7:20 "nginx" is not one of sglang, dynamo',
    ],
    [
      "type: service\nimage: x\nport: 80\nreplicas: []\n",
      "replicas invalid-value 4:11 the list of replica groups is empty",
    ],
    [
      "type: service\nimage: x\nport: 80\nreplicas: 1\ngroups: [{count: 1}]\n",
      "replicas conflict 4:1 cannot be used together with groups",
    ],
  ])("%j is rejected, once", (text, expected) => {
    expect(errorLines(text)).toEqual([expected]);
  });

  it("two router groups: the second is named", () => {
    const text = group([
      "count: 1\nrouter: {}\ncommands: [a]",
      "count: 1\nrouter: {type: sglang}\ncommands: [b]",
    ]);
    expect(errorLines(text)).toEqual([
      'replicas[1].router conflict 9:5 only one replica group may run a router; group "0" already does',
    ]);
  });
});

describe("probes", () => {
  const defaults = {
    method: "get",
    headers: [],
    body: null,
    timeout: 10,
    interval: 15,
    ready_after: 1,
    until_ready: false,
  };
  it.each([
    ["probes: [{type: http}]\n", [{ type: "http", url: "/", ...defaults }]],
    [
      "probes:\n  - type: http\n    url: /health\n    interval: 1m\n    timeout: 5\n    ready_after: 3\n    until_ready: true\n",
      [
        {
          type: "http",
          url: "/health",
          ...defaults,
          interval: 60,
          timeout: 5,
          ready_after: 3,
          until_ready: true,
        },
      ],
    ],
    // dstack checks a body only against a written get or head: without a method, the default get sends it.
    ["probes: [{type: http, body: x}]\n", [{ type: "http", url: "/", ...defaults, body: "x" }]],
    ["probes: []\nmodel: m\n", []],
    ["probes: null\n", []],
  ])("%j", (extra, expected) => {
    expect(json(svc(extra)).probes).toEqual(expected);
  });

  it("a model without probes gets dstack's chat-completions probe, under the model's prefix", () => {
    const probes = json(svc("model: {name: m, format: openai, prefix: /api/v1/}\n")).probes;
    expect(probes).toEqual([
      {
        type: "http",
        url: "/api/v1/chat/completions",
        method: "post",
        headers: [{ name: "Content-Type", value: "application/json" }],
        body: '{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}',
        timeout: 30,
        interval: 15,
        ready_after: 1,
        until_ready: false,
      },
    ]);
    expect(json(svc("model: {name: m, format: tgi}\n")).probes).toEqual([]);
  });

  it.each([
    ["probes: [{url: /}]\n", 'probes[0] missing-key 4:10 missing required key "type"'],
    ["probes: [{type: tcp}]\n", 'probes[0].type invalid-value 4:17 "tcp" is not one of http'],
    [
      "probes: [{type: http, url: health}]\n",
      'probes[0].url invalid-value 4:28 "health" does not start with /',
    ],
    [
      "probes: [{type: http, method: head, body: x}]\n",
      "probes[0].body conflict 4:37 a head request cannot have a body",
    ],
    [
      "probes: [{type: http, timeout: 0s}]\n",
      "probes[0].timeout invalid-value 4:32 cannot be shorter than 1s",
    ],
    [
      "probes: [{type: http, ready_after: 0}]\n",
      "probes[0].ready_after invalid-value 4:36 0 is too small: at least 1 successful probe is needed",
    ],
    ["probes: [{type: http, methd: post}]\n", "probes[0].methd unknown-key 4:23 unknown key"],
    [
      "probes: [{type: http}, {type: http, url: /}]\n",
      "probes[1] duplicate 4:24 this probe is the same as an earlier one",
    ],
  ])("%j is rejected, once", (extra, expected) => {
    expect(errorLines(BASE + extra)).toEqual([expected]);
  });
});

describe("rate limits", () => {
  it("defaults: prefix /, key ip_address, burst 0", () => {
    expect(
      json(
        svc(
          "rate_limits: [{rps: 4}, {prefix: /api/, rps: 0.5, burst: 3, key: {type: header, header: X-User}}]\n",
        ),
      ).rate_limits,
    ).toEqual([
      { prefix: "/", key: { type: "ip_address" }, rps: 4, burst: 0 },
      { prefix: "/api/", key: { type: "header", header: "X-User" }, rps: 0.5, burst: 3 },
    ]);
  });

  it.each([
    ["rate_limits: [{prefix: /a}]\n", 'rate_limits[0] missing-key 4:15 missing required key "rps"'],
    [
      "rate_limits: [{rps: 0.001}]\n",
      "rate_limits[0].rps invalid-value 4:21 0.001 is out of range: rps must be at least 1/60 (one request a minute) and at most 153722867280912930",
    ],
    [
      "rate_limits: [{rps: 1, prefix: api}]\n",
      'rate_limits[0].prefix invalid-value 4:32 "api" is not a URL path prefix dstack accepts',
    ],
    [
      "rate_limits: [{rps: 1}, {rps: 2, prefix: /}]\n",
      "rate_limits[1].prefix duplicate 4:42 prefix / has a rate limit already",
    ],
    [
      "rate_limits: [{rps: 1, key: {type: header, header: 'a b'}}]\n",
      'rate_limits[0].key.header invalid-value 4:52 "a b" is not a header name dstack accepts',
    ],
    [
      "rate_limits: [{rps: 1, key: {header: X}}]\n",
      'rate_limits[0].key missing-key 4:29 missing required key "type": one of ip_address, header',
    ],
    [
      "rate_limits: [{rps: 1, burst: -1}]\n",
      "rate_limits[0].burst invalid-value 4:31 -1 is not a burst size: it must be 0 or more",
    ],
  ])("%j is rejected, once", (extra, expected) => {
    expect(errorLines(BASE + extra)).toEqual([expected]);
  });
});

describe("model, gateway, https, auth, strip_prefix", () => {
  it.each([
    ["", { model: null, gateway: null, https: null, auth: true, strip_prefix: true }],
    [
      "model: Qwen/Qwen3-8B\n",
      { model: { type: "chat", name: "Qwen/Qwen3-8B", format: "openai", prefix: "/v1" } },
    ],
    [
      "model: {type: chat, name: m, format: tgi, chat_template: t}\n",
      { model: { type: "chat", name: "m", format: "tgi", chat_template: "t", eos_token: null } },
    ],
    [
      "model: {name: m, format: openai}\n",
      { model: { type: "chat", name: "m", format: "openai", prefix: "/v1" } },
    ],
    ["gateway: true\n", { gateway: true }],
    ["gateway: false\n", { gateway: false }],
    ["gateway: my-gw\n", { gateway: { project: null, name: "my-gw" } }],
    ["gateway: team/my-gw\n", { gateway: { project: "team", name: "my-gw" } }],
    ["gateway: {name: my-gw, project: team}\n", { gateway: { project: "team", name: "my-gw" } }],
    ["https: auto\n", { https: "auto" }],
    ["https: false\nauth: false\nstrip_prefix: false\n", { https: false, auth: false, strip_prefix: false }],
  ])("%j", (extra, expected) => {
    expect(json(svc(extra))).toMatchObject(expected);
  });

  it.each([
    ["model: {name: m}\n", 'model missing-key 4:8 missing required key "format": one of openai, tgi'],
    ["model: {name: m, format: vllm}\n", 'model.format invalid-value 4:26 "vllm" is not one of openai, tgi'],
    ["model: {name: m, format: tgi, prefix: /v1}\n", "model.prefix unknown-key 4:31 unknown key"],
    ["model: {format: openai}\n", 'model missing-key 4:8 missing required key "name"'],
    ["gateway: a/b/c\n", 'gateway invalid-value 4:10 "a/b/c" is not a gateway reference'],
    ["https: yes\n", 'https invalid-type 4:8 expected true, false or auto, got string "yes"'],
  ])("%j is rejected, once", (extra, expected) => {
    expect(errorLines(BASE + extra)).toEqual([expected]);
  });
});
