// The Pulumi engine's own floor on this machine: preview and up of an empty inline program on the file
// backend, through the same runner dstack uses. Needs ./scripts/setup. Run: node bench/engine-overhead.mjs
import { emptyEngineTarget } from "./engine-floor.mjs";
import { ms, stats } from "./lib.mjs";

const { lib, target } = await emptyEngineTarget();
const previews = [];
const ups = [];
for (let i = 0; i < 6; i++) {
  let t = performance.now();
  await lib.preview(target);
  previews.push(performance.now() - t);
  t = performance.now();
  await lib.up(target);
  ups.push(performance.now() - t);
}
console.log(
  `empty preview: median ${ms(stats(previews.slice(1)).median)}; empty up: median ${ms(stats(ups.slice(1)).median)} (file backend, 5 runs after a warm-up)`,
);
