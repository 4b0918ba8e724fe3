import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/compiler/diagnostics.js";
import { errorAt, errors, run } from "./helpers.js";

describe("diagnostics: every problem, with FILE:LINE:COL, path, value and fix", () => {
  const broken = `type: dev-environment
ide: vscod
inactivty_duration: 2h
image: ubuntu
python: "3.11"
commands: [ls]
resources:
  gpu: A100:80XB:2
  memory: 16QB
spot_policy: spott
max_duration: 2 hours
`;

  it("collects them all, never stopping at the first", () => {
    expect(errorAt(run(broken))).toEqual([
      "ide invalid-value 2:6",
      "inactivty_duration unknown-key 3:1",
      "python conflict 5:1",
      "commands unknown-key 6:1",
      "resources.gpu invalid-value 8:8",
      "resources.memory invalid-value 9:11",
      "spot_policy invalid-value 10:14",
      "max_duration invalid-value 11:15",
    ]);
  });

  it("prints FILE:LINE:COL: error: path: message with the wrong value and a hint", () => {
    const lines = errors(run(broken)).map(formatDiagnostic);
    expect(lines[0]).toBe(
      'x.dstack.yml:2:6: error: ide: "vscod" is not one of vscode, cursor, windsurf, zed\n  hint: did you mean "vscode"?',
    );
    expect(lines[1]).toBe(
      'x.dstack.yml:3:1: error: inactivty_duration: unknown key\n  hint: did you mean "inactivity_duration"?',
    );
    expect(lines[3]).toContain('hint: "commands" belongs to type task or service, not dev-environment');
    expect(lines[4]).toContain('"80XB" in "A100:80XB:2"');
    expect(lines[7]).toContain('"2 hours" is not a duration');
  });

  it("suggests keys inside nested objects too", () => {
    const result = run("type: dev-environment\nide: vscode\nresources:\n  gpu:\n    nmae: A100\n");
    expect(errorAt(result)).toEqual(["resources.gpu.nmae unknown-key 5:5"]);
  });

  it("reports YAML syntax errors with their position", () => {
    const result = run("type: dev-environment\nide: vscode\nresources:\n  gpu: [A100\n");
    expect(errors(result)[0]).toMatchObject({
      code: "yaml-syntax",
      position: { line: expect.any(Number) as number },
    });
    expect(result.spec).toBeNull();
  });

  it("reports duplicate keys", () => {
    const result = run("type: task\ncommands: [a]\ncommands: [b]\n");
    expect(errors(result)[0]).toMatchObject({ code: "yaml-syntax", position: { line: 3 } });
    expect(errors(result)[0]?.hint).toMatch(/each key may appear once/);
  });

  it.each([
    ["", "empty-file"],
    ["# only a comment\n", "empty-file"],
    ["- a\n- b\n", "invalid-type"],
    ["just a string\n", "invalid-type"],
    ["ide: vscode\n", "missing-key"],
    ["type: dev-enviroment\n", "invalid-value"],
    ["type: 3\n", "invalid-value"],
  ])("whole-file problem in %j: %s", (text, code) => {
    const result = run(text);
    expect(errors(result).map((d) => d.code)).toEqual([code]);
    expect(errors(result)[0]?.position?.line).toBeGreaterThanOrEqual(1);
  });

  it("suggests the configuration type", () => {
    expect(errors(run("type: dev-enviroment\n"))[0]?.hint).toBe('did you mean "dev-environment"?');
  });

  it("says which type a value of the wrong type needs", () => {
    const result = run("type: dev-environment\nide: vscode\nprivileged: yes please\ninit: pip install x\n");
    expect(errors(result).map((d) => `${d.path}: ${d.message}`)).toEqual([
      'privileged: expected a boolean, got string "yes please"',
      'init: expected a list, got string "pip install x"',
    ]);
  });

  it("resolves YAML anchors and merge keys before validation", () => {
    const result = run("x-common: &common\n  spot_policy: auto\ntype: task\ncommands: [ls]\n");
    expect(errorAt(result)).toEqual(["x-common unknown-key 1:1"]);
    const merged = run("type: task\ncommands: [ls]\nresources: &r\n  gpu: A100\n");
    expect(merged.spec).not.toBeNull();
  });

  it("never reports an unrelated error after a shape error at the same path", () => {
    const result = run("type: dev-environment\nide: vscode\nresources:\n  gpu: true\n");
    expect(errorAt(result)).toEqual(["resources.gpu invalid-type 4:8"]);
  });
});
