import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dstack, project } from "./run-cli.js";

describe("dstack validate", () => {
  it("prints a summary of a valid configuration and exits 0", () => {
    const r = dstack(["validate", "-f", "examples/.dstack.yml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('examples/.dstack.yml: valid dev-environment "vscode"');
    expect(r.stdout).toMatch(/resources: +2\.\.xCPU, 4GB\.\., 100GB\.\. \(disk\)/);
    const gpu = dstack(["validate", "-f", "examples/gpu.dstack.yml"]);
    expect(gpu.stdout).toMatch(/resources: +2\.\.xCPU, 8GB\.\., 1\.\.xGPU:24GB, 100GB\.\. \(disk\)/);
    expect(r.stderr).toBe("");
  });

  it("--json prints the normalized configuration, and only that, on stdout", () => {
    const r = dstack(["validate", "-f", "examples/gpu.dstack.yml", "--json"]);
    expect(r.code).toBe(0);
    const spec = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(spec).toMatchObject({
      type: "dev-environment",
      name: "vscode-gpu",
      python: "3.11",
      inactivity_duration: "off",
      resources: {
        gpu: { vendor: null, name: null, count: { min: 1, max: null }, memory: { min: 24, max: 24 } },
      },
      profile: null,
    });
  });

  it("prints every error as FILE:LINE:COL and exits 1, with no stack trace", () => {
    const dir = project({
      "bad.dstack.yml":
        "type: dev-environment\nide: vscode\ninactivty_duration: 2h\nresources:\n  gpu: A100:80XB\n",
    });
    const r = dstack(["validate", "-f", "bad.dstack.yml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      'bad.dstack.yml:3:1: error: inactivty_duration: unknown key\n  hint: did you mean "inactivity_duration"?',
    );
    expect(r.stderr).toContain("bad.dstack.yml:5:8: error: resources.gpu:");
    expect(r.stderr).toContain("bad.dstack.yml: 2 errors");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("says a backend fleet without resources takes any instance", () => {
    const dir = project({ "fleet.dstack.yml": "type: fleet\nname: any\nnodes: 1\n" });
    const r = dstack(["validate", "-f", "fleet.dstack.yml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/resources: +any instance \(none written\)/);
  });

  it("exits 0 when there are only warnings", () => {
    const dir = project({ ".dstack.yml": "type: dev-environment\nide: vscode\ntermination_idle_time: 1h\n" });
    const r = dstack(["validate"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      ".dstack.yml:3:1: warning: termination_idle_time: deprecated in favour of idle_duration",
    );
  });

  it("--json with errors prints the diagnostics as JSON", () => {
    const dir = project({ ".dstack.yml": "type: task\n" });
    const r = dstack(["validate", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      diagnostics: [{ code: "missing-key", position: { line: 1 } }],
    });
  });

  it("applies profiles from the project and from ~/.dstack, and -e values, never printing secrets", () => {
    const dir = project({
      "sub/task.dstack.yml": "type: task\ncommands: [ls]\nenv: [HF_TOKEN, PLAIN=1]\n",
      ".dstack/profiles.yml": "profiles:\n  - name: spot\n    default: true\n    spot_policy: spot\n",
    });
    const home = join(dir, "home");
    mkdirSync(join(home, ".dstack"), { recursive: true });
    writeFileSync(join(home, ".dstack", "profiles.yml"), "profiles:\n  - name: pricey\n    max_price: 50\n");
    const r = dstack(["validate", "-f", "sub/task.dstack.yml", "--json", "-e", "HF_TOKEN=hf_very_secret"], {
      cwd: dir,
      env: { HOME: home },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("hf_very_secret");
    expect(JSON.parse(r.stdout)).toMatchObject({
      spot_policy: "spot",
      profile: "spot",
      env: { HF_TOKEN: "***", PLAIN: "1" },
    });
    const named = dstack(
      ["validate", "-f", "sub/task.dstack.yml", "--json", "--profile", "pricey", "--spot-auto"],
      {
        cwd: dir,
        env: { HOME: home, HF_TOKEN: "from-env" },
      },
    );
    expect(JSON.parse(named.stdout)).toMatchObject({ spot_policy: "auto", max_price: 50, profile: "pricey" });
    expect(named.stdout).not.toContain("from-env");
  });

  it("names a variable that has no value", () => {
    const dir = project({ ".dstack.yml": "type: task\ncommands: [ls]\nenv: [HF_TOKEN]\n" });
    const r = dstack(["validate"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      ".dstack.yml:3:7: error: env[0]: HF_TOKEN has no value\n  hint: pass -e HF_TOKEN=VALUE or set HF_TOKEN in the environment",
    );
  });

  it.each([
    [["validate", "-f", "nope.yml"], 1, /error: cannot read .*nope\.yml: no such file/],
    [["validate", "-f", "."], 1, /is a directory/],
    [
      ["validate", "--gpuu", "A100", "-f", "examples/.dstack.yml"],
      2,
      /unknown option '--gpuu'.*\n {2}hint: did you mean --gpu\?/,
    ],
    [["validate", "--spot", "--on-demand", "-f", "examples/.dstack.yml"], 2, /contradict/],
    [["valdate"], 2, /unknown command "valdate"\n {2}hint: did you mean "dstack validate"\?/],
    [
      ["validate", "-f", "examples/.dstack.yml", "--gpu", "A100:80XB"],
      1,
      /command line: error: --gpu: "80XB" in "A100:80XB"/,
    ],
  ])("bad usage %j exits %i with a clear message", (args, code, message) => {
    const r = dstack(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("asks for -f when there is no .dstack.yml", () => {
    const r = dstack(["validate"], { cwd: project({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no configuration given.*\n {2}hint: pass -f FILE/);
  });
});

describe("dstack --help, schema", () => {
  it("lists the commands", () => {
    const r = dstack(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validate +check a configuration/);
    expect(dstack(["validate", "--help"]).stdout).toContain("Usage: dstack validate");
  });

  it("prints a JSON Schema that describes every configuration type", () => {
    const r = dstack(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { oneOf: { properties: { type: { const: string } } }[] };
    expect(schema.oneOf.map((s) => s.properties.type.const)).toEqual([
      "dev-environment",
      "task",
      "service",
      "fleet",
      "volume",
    ]);
    const profiles = JSON.parse(dstack(["schema", "--profiles"]).stdout) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(profiles.properties)).toEqual(["profiles"]);
  });

  it("--json carries the keys dstack 0.22 has, and the schema describes them", () => {
    const dir = project({
      ".dstack.yml":
        "type: task\nimage: nginx\nbackends: [aws, runpod]\nidle_duration: -1\npriority: 5\n" +
        "schedule: {cron: '0 8 * * mon-fri'}\ntags: {team: ml}\nshell: bash\n",
    });
    const r = dstack(["validate", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      commands: [],
      backends: ["aws", "runpod"],
      idle_duration: "off",
      priority: 5,
      schedule: { cron: ["0 8 * * mon-fri"] },
      tags: { team: "ml" },
      shell: "/bin/bash",
      docker: false,
      startup_order: "any",
    });
    const human = dstack(["validate"], { cwd: dir });
    expect(human.stderr).toContain(
      "warning: backends: runpod is a dstack backend this project does not provision",
    );
    const schema = JSON.stringify(JSON.parse(dstack(["schema"]).stdout));
    for (const key of [
      "utilization_policy",
      "schedule",
      "startup_order",
      "stop_criteria",
      "instances",
      "tags",
      "docker",
      "shell",
      "priority",
      "groups",
      "zed",
      "kubernetes",
    ])
      expect(schema).toContain(`"${key}"`);
  });
});
