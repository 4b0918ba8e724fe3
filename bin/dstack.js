#!/usr/bin/env node
// The `dstack` executable: runs the bundle built by scripts/build.mjs (npm install / scripts/setup build it).
import { existsSync } from "node:fs";

const bundle = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    "error: dstack is not built yet\n  hint: run ./scripts/setup (or npm run build) in the repository\n",
  );
  process.exit(1);
}
const { runCli } = await import(bundle.href);
await runCli();
