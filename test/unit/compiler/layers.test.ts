import { describe, expect, it } from "vitest";
import { errors, json, run, warnings } from "./helpers.js";

const project = {
  file: ".dstack/profiles.yml",
  text: `profiles:
  - name: cheap
    default: true
    spot_policy: auto
    max_price: 1.5
    backends: [aws]
    idle_duration: 10m
  - name: big
    spot_policy: on-demand
    max_price: 40
    regions: [us-east-1]
`,
};
const user = {
  file: "~/.dstack/profiles.yml",
  text: "profiles:\n  - name: mine\n    retry: true\n  - name: big\n    max_price: 99\n",
};

describe("profiles", () => {
  it("applies the project's default profile", () => {
    const result = run("type: task\ncommands: [ls]\n", { profiles: [project, user] });
    expect(result.profile).toEqual({ name: "cheap", file: ".dstack/profiles.yml" });
    expect(json(result)).toMatchObject({
      spot_policy: "auto",
      max_price: 1.5,
      backends: ["aws"],
      idle_duration: 600,
    });
  });

  it("picks a named profile, the project's before the user's", () => {
    expect(
      json(run("type: task\ncommands: [ls]\n", { profiles: [project, user], profile: "big" })).max_price,
    ).toBe(40);
    expect(
      json(run("type: task\ncommands: [ls]\n", { profiles: [project, user], profile: "mine" })).retry,
    ).toMatchObject({ duration: 3600 });
  });

  it("uses none with --no-profile", () => {
    expect(
      json(run("type: task\ncommands: [ls]\n", { profiles: [project], noProfile: true })).spot_policy,
    ).toBe("on-demand");
  });

  it("rejects an unknown profile, suggesting a near one", () => {
    const result = run("type: task\ncommands: [ls]\n", { profiles: [project], profile: "cheep" });
    expect(errors(result)[0]).toMatchObject({
      code: "unknown-profile",
      path: "--profile",
      hint: 'did you mean "cheap"?',
    });
  });

  it("reports problems inside a profiles file at their own position", () => {
    const broken = {
      file: ".dstack/profiles.yml",
      text: "profiles:\n  - name: p\n    default: true\n    spot_polcy: auto\n",
    };
    const result = run("type: task\ncommands: [ls]\n", { profiles: [broken] });
    expect(errors(result)[0]).toMatchObject({
      code: "unknown-key",
      position: { file: ".dstack/profiles.yml", line: 4, col: 5 },
      hint: 'did you mean "spot_policy"?',
    });
  });

  it("warns about two default profiles", () => {
    const two = {
      file: "p.yml",
      text: "profiles:\n  - name: a\n    default: true\n  - name: b\n    default: true\n",
    };
    const result = run("type: task\ncommands: [ls]\n", { profiles: [two] });
    expect(result.profile?.name).toBe("a");
    expect(warnings(result)[0]?.position).toMatchObject({ file: "p.yml", line: 5 });
  });
});

describe("precedence: CLI flags > configuration > profile > defaults", () => {
  const config =
    "type: task\ncommands: [ls]\nspot_policy: spot\nmax_price: 3\nresources:\n  gpu: A100:2\n  memory: 32GB..\n";

  it("configuration beats profile", () => {
    expect(json(run(config, { profiles: [project] }))).toMatchObject({
      spot_policy: "spot",
      max_price: 3,
      backends: ["aws"],
    });
  });

  it("CLI beats configuration, field by field", () => {
    const spec = json(
      run(config, {
        profiles: [project],
        overrides: {
          spot_policy: "on-demand",
          gpu: "H100:8",
          backends: ["gcp"],
          max_duration: "2h",
          retry: true,
          retry_duration: "3h",
          name: "cli-name",
        },
      }),
    );
    expect(spec).toMatchObject({
      name: "cli-name",
      spot_policy: "on-demand",
      max_price: 3,
      backends: ["gcp"],
      max_duration: 7200,
      retry: { duration: 10800 },
      resources: { memory: { min: 32, max: null }, gpu: { name: ["H100"], count: { min: 8, max: 8 } } },
    });
  });

  it("reports bad flags against the command line", () => {
    const result = run(config, {
      overrides: { gpu: "A100:80XB", max_price: "cheap", backends: ["aws", "gpc"] },
    });
    expect(errors(result).map((d) => `${d.position?.file} ${d.path}`)).toEqual([
      "command line --gpu",
      "command line --backend",
      "command line --max-price",
    ]);
    expect(errors(result).find((d) => d.path === "--backend")?.hint).toBe('did you mean "gcp"?');
  });

  it("--no-retry removes a configured retry", () => {
    expect(
      json(run("type: task\ncommands: [ls]\nretry: true\n", { overrides: { retry: false } })).retry,
    ).toBeNull();
  });
});

describe("env", () => {
  const config = "type: task\ncommands: [ls]\nenv:\n  - HF_TOKEN\n  - HF_HUB_ENABLE_HF_TRANSFER=1\n";

  it("takes a missing value from -e, then the process environment", () => {
    expect(json(run(config, { env: { cli: ["HF_TOKEN=abc"], process: {} } })).env).toEqual({
      HF_TOKEN: "***",
      HF_HUB_ENABLE_HF_TRANSFER: "1",
    });
    const fromProcess = run(config, { env: { cli: [], process: { HF_TOKEN: "xyz" } } });
    expect(fromProcess.spec?.type === "task" && String(fromProcess.spec.env.HF_TOKEN)).toBe("***");
  });

  it("never shows values that came from outside the file", () => {
    const result = run(config, {
      env: { cli: ["HF_TOKEN=hf_secret_value", "EXTRA=other_secret"], process: {} },
    });
    expect(JSON.stringify(result.spec)).not.toMatch(/hf_secret_value|other_secret/);
    expect(json(result).env).toEqual({ HF_TOKEN: "***", HF_HUB_ENABLE_HF_TRANSFER: "1", EXTRA: "***" });
  });

  it("lets -e override a value from the file", () => {
    const result = run(config, { env: { cli: ["HF_TOKEN=a", "HF_HUB_ENABLE_HF_TRANSFER=0"], process: {} } });
    expect(
      result.spec?.type === "task" && typeof result.spec.env.HF_HUB_ENABLE_HF_TRANSFER === "object",
    ).toBe(true);
  });

  it("names a variable that has no value anywhere", () => {
    const result = run(config, { env: { cli: [], process: {} } });
    expect(errors(result)[0]).toMatchObject({
      code: "missing-env",
      path: "env[0]",
      position: { line: 4, col: 5 },
    });
    expect(errors(result)[0]?.message).toBe("HF_TOKEN has no value");
    expect(errors(result)[0]?.hint).toBe("pass -e HF_TOKEN=VALUE or set HF_TOKEN in the environment");
  });

  it("accepts the map form; a null value must come from outside", () => {
    const result = run("type: task\ncommands: [ls]\nenv:\n  A: 1\n  B: true\n  TOKEN:\n", {
      env: { cli: [], process: {} },
    });
    expect(errors(result)[0]).toMatchObject({ path: "env.TOKEN", position: { line: 6, col: 3 } });
  });

  it("rejects duplicates and bad -e flags", () => {
    expect(errors(run("type: task\ncommands: [ls]\nenv: [A=1, A=2]\n")).map((d) => d.code)).toEqual([
      "duplicate",
    ]);
    const bad = run("type: task\ncommands: [ls]\n", { env: { cli: ["1X=2", "NOPE"], process: {} } });
    expect(errors(bad).map((d) => d.code)).toEqual(["invalid-value", "missing-env"]);
  });
});

describe("mutually exclusive fields", () => {
  it("image with python", () => {
    const result = run(`type: dev-environment\nide: vscode\nimage: ubuntu\npython: "3.11"\n`);
    expect(errors(result).map((d) => `${d.path} ${d.code}`)).toEqual(["python conflict"]);
  });
  // dstack rejects image with python, not with nvcc: the image wins and nvcc has no effect.
  it("image with nvcc: true is accepted, with a warning, and nvcc is off", () => {
    const result = run(`type: dev-environment\nide: vscode\nimage: ubuntu\nnvcc: true\n`);
    expect(warnings(result).map((d) => `${d.path} ${d.code}`)).toEqual(["nvcc ignored"]);
    expect(json(result).nvcc).toBe(false);
  });
  it("allows nvcc: false with an image", () => {
    expect(run("type: dev-environment\nide: vscode\nimage: ubuntu\nnvcc: false\n").spec).not.toBeNull();
  });
});
