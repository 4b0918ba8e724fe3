// The generated state passphrase on a fresh HOME, created by several dstack processes at once (two
// applies started together): every process gets the same passphrase, none fails, no temporary file is
// left. Real processes: state-backend.ts bundled and run in 8 node children started together.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");

function run(script: string, home: string, go: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, home, String(go)]);
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("close", (code) => done({ code, out }));
  });
}

describe("the generated state passphrase", () => {
  it("is created once when 8 processes resolve the backend at the same moment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dstack-passphrase-race-"));
    const script = join(dir, "resolve.mjs");
    await build({
      stdin: {
        contents: `import { resolveStateBackend } from "./src/engine/state-backend.ts";
// Every child is loaded and waiting before any starts: they all go at the same moment.
const go = Number(process.argv[3]);
while (Date.now() < go);
const b = resolveStateBackend({ home: process.argv[2], env: {} });
process.stdout.write(b.passphrase.reveal());`,
        resolveDir: ROOT,
        loader: "ts",
      },
      outfile: script,
      // The config reader's YAML package is CommonJS and requires Node built-ins at run time.
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
      bundle: true,
      format: "esm",
      platform: "node",
      logLevel: "warning",
    });
    for (let round = 0; round < 4; round++) {
      const home = join(dir, `home-${round}`);
      mkdirSync(home);
      const go = Date.now() + 1500;
      const results = await Promise.all(Array.from({ length: 8 }, () => run(script, home, go)));
      const file = readFileSync(join(home, ".dstack", "state-passphrase"), "utf8").trim();
      for (const r of results) expect(r, r.out).toEqual({ code: 0, out: file });
      expect(readdirSync(join(home, ".dstack")).filter((f) => f.startsWith("state-passphrase"))).toEqual([
        "state-passphrase",
      ]);
    }
  }, 60_000);
});
