// Bundle the runtime agent (src/runtime-agent, Node built-ins only) into one minified CommonJS file,
// dist/agent/dstack-agent.js (or <outdir>/dstack-agent.js with `node scripts/build-agent.mjs <outdir>`),
// runnable as `node dstack-agent.js <config.json>` on Node 18 or newer. Prints the raw and gzipped sizes:
// the gzipped file is what the cloud-init user data carries.
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = resolve(process.argv[2] ?? join(root, "dist", "agent"));
const outfile = join(outdir, "dstack-agent.js");
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(root, "src", "runtime-agent", "main.ts")],
  outfile,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  banner: { js: "#!/usr/bin/env node" },
});
// The repository's package.json says "type": "module"; this marks the bundle CommonJS when run in place.
writeFileSync(join(outdir, "package.json"), '{ "type": "commonjs" }\n');
const raw = readFileSync(outfile);
const gz = gzipSync(raw, { level: 9 });
console.log(`${outfile}: ${raw.length} bytes, ${gz.length} bytes gzipped`);
