// Bundle the CLI (and the local instance operations) into dist/ with esbuild: one ESM entry plus lazily loaded chunks per command, so start-up
// reads few files and `dstack --help` loads no command code. Type checking is `npm run typecheck`.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  // The local backend's dynamic provider runs the instance operations as their own process.
  entryPoints: {
    cli: "cli/main.ts",
    "local-instance-ops": "src/stacks/local/instance-ops.ts",
    // The stack builder as a library (`dstack/stacks`) for generated projects, and the root Pulumi.yaml's
    // program: both load the cloud packages only for the cloud a pool uses.
    stacks: "src/stacks/index.ts",
    "pulumi-program": "src/stacks/root-program.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  // Keep runtime dependencies out of the bundle only where they must stay separate packages.
  // ssh2 stays a package: its bundled crypto locates files through __dirname.
  external: ["@pulumi/*", "ssh2"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

// The runtime agent: its own Node-18 CommonJS bundle, shipped inside the user data.
execFileSync(process.execPath, [new URL("./build-agent.mjs", import.meta.url).pathname], {
  stdio: ["ignore", "ignore", "inherit"],
});
