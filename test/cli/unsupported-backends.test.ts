// A configuration written for dstack may allow backends this project does not provision: the file is
// accepted with a warning that names them, and `apply` refuses only when none of the allowed ones is
// provisioned here, before anything is created, saying which are.
import { describe, expect, it } from "vitest";
import { noSupportedBackend } from "../../src/compiler/normalize/backends.js";
import { dstack, project } from "./run-cli.js";

describe("backends this project does not provision", () => {
  it("refuses only when every allowed backend is unsupported", () => {
    expect(noSupportedBackend({ backends: null })).toBeUndefined();
    expect(noSupportedBackend({ backends: ["runpod", "aws"] })).toBeUndefined();
    expect(noSupportedBackend({ backends: ["kubernetes", "runpod"] })).toEqual({
      message: "backends: kubernetes, runpod are not provisioned here, and no other backend is allowed",
      hint: "this project provisions aws, gcp, azure, local: add one of them to backends (or remove backends to allow all)",
    });
  });

  it("validate warns; apply of a run and of a fleet fails with what is supported, changing nothing", () => {
    const dir = project({
      "task.dstack.yml": "type: task\ncommands: [hostname]\nbackends: [kubernetes]\n",
      "fleet.dstack.yml": "type: fleet\nname: k8s\nnodes: 1\nbackends: [kubernetes, lambda]\n",
    });
    const validate = dstack(["validate", "-f", "task.dstack.yml"], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain("kubernetes is a dstack backend this project does not provision");
    for (const [file, asked] of [
      ["task.dstack.yml", "kubernetes is"],
      ["fleet.dstack.yml", "kubernetes, lambda are"],
    ] as const) {
      const r = dstack(["apply", "-f", file, "-y"], { cwd: dir });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `error: backends: ${asked} not provisioned here, and no other backend is allowed`,
      );
      expect(r.stderr).toContain("this project provisions aws, gcp, azure, local");
    }
  });
});
