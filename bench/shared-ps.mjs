// Benchmark (issue 15): `dstack ps --json` with 50 runs and 10 pools in the records root, on the
// personal files (~/.dstack), a shared folder's file backend, S3 (the real MinIO of scripts/ensure-s3)
// and a Pulumi service (the stand-in, one stack per record). Target: under 1 s on MinIO on this machine. The runs' instances do not answer
// (port 1), as for runs whose instances are gone: ps still reads every record and asks every agent.
// The pools are fleet pools (2 instances each), which ps reads but does not reconcile.
//
// Run: ./scripts/ensure-s3 && node scripts/build.mjs && node bench/shared-ps.mjs [samples=5]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundled, importBundled, ms, report, stats, timedCli } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "dstack.js");
const samples = Number(process.argv[2] ?? 5);
const lib = await importBundled(join(root, "bench", "shared-ps-entry.ts"));
const s3 = await lib.requireS3();
const bucket = `dstack-bench-${process.pid}-${Date.now().toString(36)}`;
await lib.createBucket(s3, bucket);
// The Pulumi service stand-in in its own process, on a temporary folder: the bench leaves nothing behind.
const serviceEntry = await bundled(join(root, "bench", "service-main.ts"));
const serviceProcess = spawn(
  process.execPath,
  [serviceEntry, mkdtempSync(join(tmpdir(), "dstack-bench-service-"))],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const service = {
  url: await new Promise((resolve) =>
    serviceProcess.stdout.once("data", (d) => resolve(d.toString().trim())),
  ),
};

const run = (name) => ({
  name,
  type: "task",
  backend: "local",
  pool: "local",
  instance: `local-${name}`,
  instance_ssh_port: 1,
  run_ssh_port: 10022,
  resources: "2..xCPU",
  price: 0,
  submitted_at: new Date().toISOString(),
  config_file: ".dstack.yml",
  spec: {},
  ports: [],
  owner: { user: "bench", host: "bench" },
});
const pool = (i) => ({
  name: `fleet-${i}`,
  backend: "aws",
  region: "us-east-1",
  fleet: `fleet-${i}`,
  instances: [0, 1].map((n) => ({
    name: `fleet-${i}-${n}`,
    created_at: new Date().toISOString(),
    idle_duration: 300,
  })),
});

const cases = [
  { label: "personal files (~/.dstack)", env: {} },
  {
    label: "shared folder (file://)",
    env: { DSTACK_BACKEND_URL: `file://${mkdtempSync(join(tmpdir(), "dstack-bench-team-"))}` },
  },
  {
    label: "S3 (MinIO on 127.0.0.1)",
    env: {
      DSTACK_BACKEND_URL: `s3://${bucket}/team?endpoint=${s3.host}&disableSSL=true&s3ForcePathStyle=true&region=${s3.region}`,
      AWS_ACCESS_KEY_ID: s3.accessKey,
      AWS_SECRET_ACCESS_KEY: s3.secretKey,
      AWS_EC2_METADATA_DISABLED: "true",
    },
  },
  {
    label: "Pulumi service (stand-in)",
    env: { DSTACK_BACKEND_URL: service.url, PULUMI_ACCESS_TOKEN: "bench-token", DSTACK_PULUMI_ORG: "team" },
  },
];

const results = [];
for (const c of cases) {
  const home = mkdtempSync(join(tmpdir(), "dstack-bench-home-"));
  // Seed through the product's own writers, with the backend the CLI will read.
  // (Set and unset key by key: a worker thread copies the real environment, not a replaced object.)
  for (const [k, v] of Object.entries(c.env)) process.env[k] = v;
  for (let i = 0; i < 50; i++) lib.writeRun(home, run(`bench-run-${i}`));
  for (let i = 0; i < 10; i++) lib.writePool(home, pool(i));
  for (const k of Object.keys(c.env)) delete process.env[k];
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(process.env.HOME ?? "", ".cache", "dstack"),
    DSTACK_USER: "bench",
    NO_COLOR: "1",
    ...c.env,
  };
  const times = [];
  await timedCli(bin, ["ps", "--json"], { env }); // warm-up (joins the backend, caches)
  for (let i = 0; i < samples; i++) times.push((await timedCli(bin, ["ps", "--json"], { env })).total);
  const s = stats(times);
  results.push([c.label, s.median]);
  console.log(`${c.label.padEnd(30)} median ${ms(s.median)}  (min ${ms(s.min)}, max ${ms(s.max)}, n=${s.n})`);
  try {
    process.kill(Number(readFileSync(join(home, ".dstack", "reaper.pid"), "utf8").trim()), "SIGTERM");
  } catch {
    // no reaper
  }
}
const [files] = results;
for (const [label, median] of results.slice(1))
  console.log(`${label.padEnd(30)} ${(median / files[1]).toFixed(2)}x the personal files`);
report("dstack ps, 50 runs + 10 pools, on MinIO", results[2][1], 1000);
serviceProcess.kill();
