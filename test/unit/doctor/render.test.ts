import { describe, expect, it } from "vitest";
import { renderReport, summary } from "../../../cli/commands/doctor.js";
import type { Output } from "../../../cli/output.js";
import { check, report } from "../../../src/doctor/check.js";

const plain: Output = {
  print: () => undefined,
  error: () => undefined,
  json: () => undefined,
  write: () => undefined,
  color: false,
};

describe("doctor rendering", () => {
  it("aligns names, shows hints under checks that need attention, and ends with a summary", () => {
    const text = renderReport(
      report([
        check("node", "ok", "Node.js v20.19.0"),
        check("docker", "error", "the Docker engine does not answer", "run ./scripts/ensure-docker"),
        check("backend:aws", "missing", "no credentials found", "set AWS_PROFILE"),
        check("pulumi-language-nodejs", "warning", "not found", "install it"),
      ]),
      plain,
    );
    expect(text.split("\n")).toEqual([
      "✓ node                    Node.js v20.19.0",
      "✗ docker                  the Docker engine does not answer",
      "                          → run ./scripts/ensure-docker",
      "- backend:aws             no credentials found",
      "                          → set AWS_PROFILE",
      "! pulumi-language-nodejs  not found",
      "                          → install it",
      "",
      "1 ok, 1 warning, 1 missing, 1 error: fix the ✗ lines above.",
    ]);
  });

  it("says 'no errors' when there are none", () => {
    expect(summary([check("node", "ok", ""), check("a", "warning", ""), check("b", "warning", "")])).toBe(
      "1 ok, 2 warnings, 0 missing, no errors.",
    );
  });
});
