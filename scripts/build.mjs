// Bundle the CLI into dist/ with esbuild: one ESM entry plus lazily loaded chunks per command, so start-up
// reads few files and `dstack --help` loads no command code. Type checking is `npm run typecheck`.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: "cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  // Keep runtime dependencies out of the bundle only where they must stay separate packages.
  external: ["@pulumi/*"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
