// `dstack offer` and `dstack catalog update` through the built CLI (bin/dstack.js -> dist/).
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dstack as runCli, type CliResult } from "./run-cli.js";

// The bundle is built once by test/global-setup.ts.
let cwd = "";

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), "dstack-cwd-"));
});

function dstack(args: string[], env: Record<string, string> = {}): CliResult {
  return runCli(args, { cwd, env });
}

interface JsonOffer {
  backend: string;
  region: string;
  instance_type: string;
  spot: boolean;
  price: number;
  cpus: number;
  memory_gb: number;
  gpu_vendor: string | null;
  gpu_name: string | null;
  gpu_count: number;
  gpu_memory_gb: number;
  disk_gb: number;
}

function offersJson(args: string[]): { offers: JsonOffer[]; total: number } {
  const { code, stdout, stderr } = dstack(["offer", ...args, "--json"]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as { offers: JsonOffer[]; total: number };
}

describe("dstack offer", () => {
  it("prints dstack's table with a footer", () => {
    const { code, stdout } = dstack(["offer", "--gpu", "A100:80GB:8", "-b", "aws"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ #\s+BACKEND\s+REGION\s+RESOURCES\s+INSTANCE\s+SPOT\s+PRICE$/m);
    expect(stdout).toMatch(
      / 1\s+aws\s+\S+\s+cpu=96 mem=1152GB disk=100GB A100:80GB:8\s+p4de\.24xlarge\s+(spot|on-demand)\s+\$\d/,
    );
    expect(stdout).toMatch(/Shown (\d+) of \1 offers, \$[\d.]+ max \$[\d.]+$/m);
  });

  it("--json prints the offers with the documented keys and the total", () => {
    const json = offersJson(["--gpu", "H100:8", "--max-offers", "3"]);
    expect(json.offers).toHaveLength(3);
    expect(json.total).toBeGreaterThan(3);
    for (const key of [
      "backend",
      "region",
      "instance_type",
      "spot",
      "price",
      "cpus",
      "memory_gb",
      "gpu_vendor",
      "gpu_name",
      "gpu_count",
      "gpu_memory_gb",
      "disk_gb",
    ])
      expect(json.offers[0]).toHaveProperty(key);
    expect(json.offers.map((o) => o.price)).toEqual(
      [...json.offers.map((o) => o.price)].sort((a, b) => a - b),
    );
    const all = offersJson(["--gpu", "H100:8", "--max-offers", "1000"]);
    expect(new Set(all.offers.map((o) => o.instance_type))).toEqual(
      new Set(["p5.48xlarge", "a3-highgpu-8g", "a3-megagpu-8g", "Standard_ND96isr_H100_v5"]),
    );
  });

  it("without -f shows spot and on-demand; --spot and --on-demand narrow it", () => {
    const auto = offersJson(["--gpu", "T4", "--max-offers", "1000"]);
    expect(new Set(auto.offers.map((o) => o.spot))).toEqual(new Set([true, false]));
    expect(offersJson(["--gpu", "T4", "--spot", "--max-offers", "1000"]).offers.every((o) => o.spot)).toBe(
      true,
    );
    expect(
      offersJson(["--gpu", "T4", "--on-demand", "--max-offers", "1000"]).offers.every((o) => !o.spot),
    ).toBe(true);
  });

  it("respects --max-price, --cpu, --memory, --disk and -r", () => {
    const json = offersJson([
      "--gpu",
      "L4",
      "--max-price",
      "0.5",
      "--cpu",
      "8..",
      "--memory",
      "32GB..",
      "--disk",
      "300GB",
      "-r",
      "us-central1",
    ]);
    expect(json.total).toBeGreaterThan(0);
    for (const o of json.offers) {
      expect(o.price).toBeLessThanOrEqual(0.5);
      expect(o.cpus).toBeGreaterThanOrEqual(8);
      expect(o.memory_gb).toBeGreaterThanOrEqual(32);
      expect(o.disk_gb).toBe(300);
      expect(o.region).toBe("us-central1");
    }
  });

  it("with -f uses the configuration (its default spot policy is on-demand) and flags override it", () => {
    writeFileSync(
      join(cwd, "gpu.dstack.yml"),
      'type: task\ncommands: ["python train.py"]\nresources:\n  gpu: A10G\n',
    );
    const fromFile = offersJson(["-f", "gpu.dstack.yml", "--max-offers", "1000"]);
    expect(fromFile.total).toBeGreaterThan(0);
    expect(fromFile.offers.every((o) => o.gpu_name === "A10G" && !o.spot)).toBe(true);
    const overridden = offersJson(["-f", "gpu.dstack.yml", "--gpu", "L4", "--spot", "--max-offers", "1000"]);
    expect(overridden.offers.every((o) => o.gpu_name === "L4" && o.spot)).toBe(true);
  });

  it("no match: exit 0, a clear message and what to relax", () => {
    const { code, stdout } = dstack(["offer", "--gpu", "H100:8", "--max-price", "1"]);
    expect(code).toBe(0);
    expect(stdout).toContain("No offers match");
    expect(stdout).toMatch(/hint: relax a requirement: without --max-price, \d+ offers from \$/);
    const json = dstack(["offer", "--gpu", "H100:8", "--max-price", "1", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ offers: [], total: 0 });
    expect(json.stderr).toContain("No offers match");
  });

  it("--group-by folds offers per GPU and checks its fields", () => {
    const { code, stdout } = dstack(["offer", "--gpu", "A100", "--group-by", "gpu,backend"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ #\s+GPU\s+SPOT\s+\$\/GPU\s+BACKEND\s+REGION$/m);
    expect(stdout).toMatch(/A100:80GB:/);
    const bad = dstack(["offer", "--group-by", "backend"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("needs gpu");
  });

  it("reports bad flags as diagnostics", () => {
    const { code, stderr } = dstack(["offer", "--gpu", "A100::2"]);
    expect(code).toBe(1);
    expect(stderr).toContain("--gpu");
    expect(dstack(["offer", "--max-offers", "0"]).code).toBe(2);
    expect(dstack(["offer", "--spot", "--on-demand"]).code).toBe(2);
  });

  it("offers this machine through the local backend", () => {
    const json = offersJson(["-b", "local", "--disk", "1GB.."]);
    expect(json.offers).toHaveLength(1);
    expect(json.offers[0]).toMatchObject({ backend: "local", region: "local", price: 0, spot: false });
  });
});

describe("dstack catalog update", () => {
  it("offline keeps the bundled catalog, says so with its date, and exits 0", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === "string") throw new Error("no port");
    const { code, stdout } = dstack(["catalog", "update", "--timeout", "2"], {
      DSTACK_PRICE_API_URL: `http://127.0.0.1:${address.port}/`,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/aws\s+unreachable \(ECONNREFUSED\)/);
    expect(stdout).toMatch(/Offline: .*Keeping the bundled catalog, prices taken \d{4}-\d{2}-\d{2}\./);
  });

  it("needs the update subcommand", () => {
    expect(dstack(["catalog"]).code).toBe(2);
  });
});
