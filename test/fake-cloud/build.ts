// The plugin bundle: main.ts and everything it imports (gRPC, protobuf, the SDK's generated stubs) in
// one CommonJS file, so the plugin starts from any working directory without resolving packages. It
// lives in node_modules/.cache (ignored by git, eslint and prettier), named by a hash of the fake's
// sources: a changed source builds a new bundle, and checkouts that share one node_modules (git
// worktrees) never overwrite each other's plugin while their tests run.
import { buildSync, version as esbuildVersion } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FAKE_CLOUD_SRC = dirname(fileURLToPath(import.meta.url));
const REPO = join(FAKE_CLOUD_SRC, "..", "..");
export const BUNDLE_DIR = join(REPO, "node_modules", ".cache", "dstack-fake-cloud");

/** The bundle built from sources with this stamp. */
export function bundlePath(stamp: string): string {
  return join(BUNDLE_DIR, `plugin-${stamp.slice(0, 16)}.cjs`);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** A hash of the fake's sources and the esbuild version: the bundle is current when its stamp matches. */
export function sourceStamp(): string {
  const hash = createHash("sha256").update(esbuildVersion);
  for (const file of sources(FAKE_CLOUD_SRC).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

/** The bundle's path, building it first when missing. Safe to call from parallel processes. */
export function buildFakeCloud(): string {
  const bundle = bundlePath(sourceStamp());
  if (existsSync(bundle)) return bundle;
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const result = buildSync({
    entryPoints: [join(FAKE_CLOUD_SRC, "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  const code = result.outputFiles[0]?.contents;
  if (code === undefined) throw new Error("fake-cloud: esbuild produced no output");
  const tmp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, bundle);
  return bundle;
}
