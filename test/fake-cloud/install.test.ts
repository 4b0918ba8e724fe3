// The installer and the plugin process: scripts named like the real plugins, a bundle that starts from
// any folder and prints its port, and a loud failure for an unknown cloud.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installFakeCloud } from "./install.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-fake-cloud-install-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a plugin script until it prints its port (or exits); returns the first stdout line and the time. */
function firstLine(
  script: string,
  args: string[],
): Promise<{ line: string; ms: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(script, args, { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  return new Promise((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) {
        resolve({ line: out.split("\n")[0] ?? "", ms: performance.now() - started, code: null });
        child.kill();
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => resolve({ line: err.trim(), ms: performance.now() - started, code }));
  });
}

describe("installFakeCloud", () => {
  it("writes the three plugin scripts, executable, running the bundle with their cloud", () => {
    const install = installFakeCloud(join(tmp, "bin"));
    for (const [pkg, cloud] of [
      ["aws", "aws"],
      ["gcp", "gcp"],
      ["azure-native", "azure"],
    ] as const) {
      const script = install.plugins[pkg];
      expect(script).toBe(join(tmp, "bin", `pulumi-resource-${pkg}`));
      expect(statSync(script).mode & 0o111).not.toBe(0);
      expect(readFileSync(script, "utf8")).toContain(`'${install.bundle}' ${cloud} "$@"`);
    }
  });

  it("reuses a current bundle instead of rebuilding it", () => {
    const first = installFakeCloud(join(tmp, "bin"));
    const mtime = statSync(first.bundle).mtimeMs;
    installFakeCloud(join(tmp, "bin2"));
    expect(statSync(first.bundle).mtimeMs).toBe(mtime);
  });

  it("starts from a folder without node_modules and prints a port", async () => {
    const install = installFakeCloud(join(tmp, "bin"));
    const { line, ms } = await firstLine(install.plugins.aws, ["127.0.0.1:1"]);
    expect(line).toMatch(/^\d+$/);
    expect(ms).toBeLessThan(5000);
  });

  it("refuses an unknown cloud by name", async () => {
    const install = installFakeCloud(join(tmp, "bin"));
    const { line, code } = await firstLine(process.execPath, [install.bundle, "oracle"]);
    expect(code).toBe(1);
    expect(line).toBe('fake-cloud: unknown cloud "oracle"; expected aws, gcp or azure');
  });
});
