// `dstack apply -y -d` to ssh-ready on the local backend, cold (a new instance through Pulumi) and warm
// (an idle instance reused, no infrastructure change; target 1.0 s), with a breakdown from the CLI's own
// progress lines and cloud-init's status.json; plus agent bundle and user-data sizes and the agent's RSS.
// Needs ./scripts/setup. Run: node bench/local-apply.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { timedCli } from "./lib.mjs";

const bin = new URL("../bin/dstack.js", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "dstack-bench-home-"));
const repo = mkdtempSync(join(tmpdir(), "dstack-bench-repo-"));
const env = {
  ...process.env,
  HOME: home,
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
  DSTACK_REAPER_INTERVAL_MS: "1000",
  NO_COLOR: "1",
};
writeFileSync(join(repo, "main.py"), "print('hello')\n");
mkdirSync(join(repo, "cfg"));
const config = (name, idle) => {
  const file = join(repo, "cfg", `${name}.dstack.yml`);
  writeFileSync(
    file,
    `type: dev-environment\nname: ${name}\nide: vscode\npython: "3.11"\nidle_duration: ${idle}\n`,
  );
  return file;
};

/** Run apply, stamping each progress line with the time since start. */
const timedApply = (file) => timedCli(bin, ["apply", "-f", file, "-y", "-d"], { cwd: repo, env });

const at = (marks, re) => marks.find(([, line]) => re.test(line))?.[0];
const cli = (...args) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: "utf8" });
const ms = (x) => (x === undefined ? "n/a" : `${(x / 1000).toFixed(2)} s`);

const cold = await timedApply(config("bench-cold", "10m"));
const planned = at(cold.marks, /to create/);
const provision = at(cold.marks, /^Provisioning instance/);
const launching = at(cold.marks, /^Launching/);
const uploading = at(cold.marks, /^Uploading/);
const running = at(cold.marks, /: running$/);
const pool = JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8"));
const instance = pool.instances[0].name;
const status = JSON.parse(
  spawnSync("docker", ["exec", `dstack-${instance}`, "cat", "/var/lib/cloud/data/status.json"], {
    encoding: "utf8",
  }).stdout,
).v1;
const stage = (s) => (status[s].finished - status[s].start) * 1000;
const cloudInit = ["init-local", "init", "modules-config", "modules-final"].reduce(
  (sum, s) => sum + stage(s),
  0,
);

console.log(`cold apply -y -d to ssh-ready: ${ms(cold.total)}`);
console.log(`  plan (offers, Pulumi preview):             ${ms(planned)}`);
console.log(`  engine up incl. container boot+cloud-init: ${ms(launching - provision)}`);
console.log(`    of which cloud-init stages:              ${ms(cloudInit)}`);
console.log(
  `  submit + repo upload:                      ${ms(running - uploading + (uploading - launching))}`,
);
console.log(
  `  container to ssh-ready:                    ${ms(cold.total - running)}  (after the last status line)`,
);

cli("stop", "bench-cold", "-y");
for (let i = 0; i < 30 && !/stopped|exited/.test(cli("ps", "-a", "--json").stdout); i++)
  await new Promise((r) => setTimeout(r, 500));
const warm = await timedApply(config("bench-warm", "1s"));
const reused = warm.marks.some(([, l]) => /Reusing idle instance/.test(l));
console.log(
  `warm apply -y -d to ssh-ready (reused: ${reused}): ${ms(warm.total)}   target 1.00 s   ratio ${(warm.total / 1000).toFixed(2)}`,
);

const rss = spawnSync("docker", ["exec", `dstack-${instance}`, "sh", "-c", "ps -o rss= -C node | head -1"], {
  encoding: "utf8",
}).stdout.trim();
const agent = readFileSync(new URL("../dist/agent/dstack-agent.js", import.meta.url));
const seedDir = join(home, ".dstack", "local", "instances", instance, "seed");
const userData = readdirSync(seedDir).includes("user-data")
  ? readFileSync(join(seedDir, "user-data"))
  : Buffer.alloc(0);
console.log(`agent bundle: ${agent.length} bytes raw, ${gzipSync(agent, { level: 9 }).length} gzipped`);
console.log(
  `user data: ${userData.length} bytes (AWS limit 16384; ratio ${(userData.length / 16384).toFixed(2)})`,
);
console.log(`agent RSS while supervising a run: ${(Number(rss) / 1024).toFixed(1)} MB`);

cli("stop", "bench-warm", "-y");
for (let i = 0; i < 120; i++) {
  const left = JSON.parse(readFileSync(join(home, ".dstack", "pools", "local.json"), "utf8")).instances
    .length;
  if (left === 0) break;
  await new Promise((r) => setTimeout(r, 1000));
}
console.log("cleaned up: the reaper destroyed the instance");
