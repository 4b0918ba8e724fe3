// Validating 1,000 configuration files in one process (read + parse + validate + normalize), plus the
// same through 1,000 in-memory compiles to separate file I/O from compiler time.
// Run: node bench/validate-many.mjs [count]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importBundled, ms, stats } from "./lib.mjs";

const count = Number(process.argv[2] ?? 1000);
const { compileFile } = await importBundled("src/compiler/load.ts");
const { compile } = await importBundled("src/compiler/compile.ts");

const gpus = [
  "A100:80GB:2",
  "24GB..",
  "H100:8",
  "A10G,A100",
  "nvidia:2",
  "v2-8",
  "MI300X:amd",
  "40GB..80GB:4",
];
const types = [
  (i) =>
    `type: dev-environment\nname: dev-${i}\nide: vscode\npython: "3.11"\ninactivity_duration: 2h\nresources:\n  gpu: ${gpus[i % gpus.length]}\n  disk: 200GB..\nenv:\n  - A=${i}\nports: [8080, "*:9000"]\nvolumes:\n  - data-${i % 7}:/data\n`,
  (i) =>
    `type: task\nname: task-${i}\ncommands:\n  - python train.py --seed ${i}\nnodes: 2\nresources:\n  cpu: x86:16..\n  memory: 64GB..\n  gpu: ${gpus[(i + 3) % gpus.length]}\nretry:\n  on_events: [no-capacity]\n  duration: 2h\nspot_policy: auto\n`,
  (i) =>
    `type: fleet\nname: fleet-${i}\nnodes: 0..${(i % 4) + 1}\nresources:\n  gpu: ${gpus[(i + 5) % gpus.length]}\nidle_duration: 1h\n`,
  (i) => `type: volume\nname: vol-${i}\nbackend: aws\nregion: eu-central-1\nsize: ${(i % 10) * 10 + 10}GB\n`,
];

const dir = mkdtempSync(join(tmpdir(), "dstack-validate-many-"));
const texts = [];
for (let i = 0; i < count; i++) {
  const text = types[i % types.length](i);
  texts.push(text);
  writeFileSync(join(dir, `c${i}.dstack.yml`), text);
}

function once(fn) {
  const start = performance.now();
  let errors = 0;
  for (let i = 0; i < count; i++) if (fn(i).spec === null) errors++;
  if (errors > 0) throw new Error(`${errors} of the generated configurations did not compile`);
  return performance.now() - start;
}

const fileRuns = [];
const memoryRuns = [];
for (let round = 0; round < 7; round++) {
  fileRuns.push(once((i) => compileFile(join(dir, `c${i}.dstack.yml`), { noProfile: true })));
  memoryRuns.push(once((i) => compile({ file: "x.yml", text: texts[i] })));
}
const files = stats(fileRuns.slice(2));
const memory = stats(memoryRuns.slice(2));
console.log(
  `${count} files from disk:   ${ms(files.median)} total, ${(files.median / count).toFixed(3)} ms per file (median of ${files.n})`,
);
console.log(
  `${count} in-memory compiles: ${ms(memory.median)} total, ${(memory.median / count).toFixed(3)} ms per configuration`,
);
console.log(`throughput: ${Math.round((count / files.median) * 1000)} files/s`);
