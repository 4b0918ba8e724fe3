import { describe, expect, it } from "vitest";
import { EXIT_INTERNAL, main } from "../../cli/main.js";
import type { Output } from "../../cli/output.js";
import { UserError } from "../../src/errors.js";

function capture(): Output & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    print: (t) => lines.push(t),
    error: (t) => lines.push(t),
    json: (v) => lines.push(JSON.stringify(v)),
    write: (t) => lines.push(t),
    color: false,
  };
}

describe("top-level error handling", () => {
  it("prints help with no arguments", async () => {
    const out = capture();
    expect(await main([], out, {})).toBe(0);
    expect(out.lines[0]).toContain("Usage: dstack COMMAND");
  });

  it("reports a user error as one message with its hint and exit code", async () => {
    const out = capture();
    expect(await main(["validate", "--json", "-f", "/nonexistent/x.yml"], out, {})).toBe(1);
    expect(out.lines.join("\n")).toBe("error: cannot read /nonexistent/x.yml: no such file");
  });

  it("UserError carries a stable code and usage errors exit 2", () => {
    const e = new UserError("usage", "bad", "fix it", 2);
    expect([e.code, e.exitCode, e.hint]).toEqual(["usage", 2, "fix it"]);
  });

  it("turns an unexpected failure into a bug report without a stack trace", async () => {
    const out = capture();
    // An output stream failing mid-command is nothing the user did: it must end as a bug report.
    const code = await main(
      ["validate", "-f", "examples/.dstack.yml"],
      {
        ...out,
        print: () => {
          throw new Error("stdout closed");
        },
      },
      {},
    );
    expect(code).toBe(EXIT_INTERNAL);
    expect(out.lines.join("\n")).toMatch(/^internal error: stdout closed\nThis is a bug in dstack/);
    expect(out.lines.join("\n")).not.toMatch(/\n\s+at /);
  });
});
