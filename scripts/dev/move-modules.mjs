#!/usr/bin/env node
// A developer's tool for reorganising folders: `node scripts/dev/move-modules.mjs FROM=TO ...` moves
// each TypeScript module with `git mv` and rewrites every relative import in src/, cli/, test/ and
// bench/ (of the moved files and of their importers), so a move is one command and never a hand edit.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");
const moves = new Map(
  process.argv.slice(2).map((arg) => {
    const [from, to] = arg.split("=");
    if (!from || !to) throw new Error(`expected FROM=TO, got ${arg}`);
    return [resolve(root, from), resolve(root, to)];
  }),
);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (/\.(ts|mts|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const files = ["src", "cli", "test", "bench", "scripts"].flatMap((d) => walk(join(root, d)));
const newPath = (p) => moves.get(p) ?? p;
const IMPORT = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)(["'])/g;

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const target = newPath(file);
  const rewritten = text.replace(IMPORT, (all, head, spec, tail) => {
    const abs = resolve(dirname(file), spec);
    // Imports name the emitted `.js`; the module on disk is `.ts`.
    const asTs = abs.replace(/\.js$/, ".ts");
    const moved = moves.has(asTs) ? moves.get(asTs).replace(/\.ts$/, ".js") : abs;
    if (moved === abs && target === file) return all;
    let rel = relative(dirname(target), moved);
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `${head}${rel}${tail}`;
  });
  if (rewritten !== text) writeFileSync(file, rewritten);
}
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync("git", ["mv", from, to], { cwd: root });
}
