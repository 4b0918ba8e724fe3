// `scripts/fake-cloud env DIR`: see the bash wrapper next to this file. The fake cloud is TypeScript under
// test/; this bundles the one entry it needs with esbuild (packages stay external, so the bundle is
// written where node_modules resolves them) and runs it.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = 'usage: scripts/fake-cloud env DIR   (eval "$(scripts/fake-cloud env DIR)")\n';
const [command, dir] = process.argv.slice(2);
if (command !== "env" || dir === undefined) {
  process.stderr.write(usage);
  process.exit(2);
}
const entry = join(root, "test", "fake-cloud", "shell-env.ts");
const out = join(root, "node_modules", ".cache", "dstack-fake-cloud", `shell-env-${process.pid}.mjs`);
await build({
  stdin: {
    contents: `import { shellEnv } from ${JSON.stringify(entry)}; process.stdout.write(shellEnv(process.argv[2]));`,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  // The fake finds its sources and the repository from its own module URL.
  define: { "import.meta.url": JSON.stringify(pathToFileURL(entry).href) },
  outfile: out,
  logLevel: "warning",
});
try {
  process.argv[2] = dir;
  await import(pathToFileURL(out).href);
} finally {
  rmSync(out, { force: true });
}
