// Loopback public addresses of booted instances: unique across stores and processes on this machine,
// never 127.0.0.1, freed ones reused, those of a store that is gone taken back. Each test has its own
// registry (DSTACK_FAKE_CLOUD_LOOPBACK_DIR), so other tests' instances are never in the way.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allocateAddress, releaseAddresses } from "./boot/loopback.js";
import { Store } from "./core/store.js";
import { stateDir } from "./helpers.js";

const ENV = "DSTACK_FAKE_CLOUD_LOOPBACK_DIR";
let registry = "";
beforeEach(() => {
  registry = stateDir();
  process.env[ENV] = registry;
});
afterEach(() => delete process.env[ENV]);

const allocate = (dir: string, owner: string): string =>
  new Store(dir).transact((data) => allocateAddress(data, dir, owner));
const release = (dir: string, owner: string): void =>
  new Store(dir).transact((data) => releaseAddresses(data, dir, [owner]));

function run(script: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) =>
    spawn(process.execPath, [script, ...args], { stdio: "ignore", env: { ...process.env } }).on(
      "exit",
      resolve,
    ),
  );
}

describe("loopback addresses", () => {
  it("are unique across four processes allocating in four stores at once", async () => {
    const script = join(registry, "allocate.cjs");
    buildSync({
      stdin: {
        contents: `import { Store } from "./core/store.ts";
          import { allocateAddress } from "./boot/loopback.ts";
          const dir = process.argv[2];
          for (let i = 0; i < 10; i++) new Store(dir).transact((d) => allocateAddress(d, dir, "i-" + i));`,
        resolveDir: import.meta.dirname,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: script,
      logLevel: "silent",
    });
    const stores = [1, 2, 3, 4].map(() => stateDir());
    expect(await Promise.all(stores.map((dir) => run(script, [dir])))).toEqual([0, 0, 0, 0]);
    const all = stores.flatMap((dir) => Object.values(new Store(dir).read().meta.addresses ?? {}));
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    const hosts = all.map((ip) => Number(ip.split(".")[3])).sort((a, b) => a - b);
    expect(hosts[0]).toBe(10);
    expect(hosts.at(-1)).toBe(49);
    expect(all.every((ip) => ip.startsWith("127.0.0."))).toBe(true);
  }, 30_000);

  it("keeps an owner's address, reuses a freed one, and takes back those of a store that is gone", () => {
    const a = stateDir();
    const b = stateDir();
    expect(allocate(a, "i-1")).toBe("127.0.0.10");
    expect(allocate(a, "i-1")).toBe("127.0.0.10");
    expect(allocate(a, "i-2")).toBe("127.0.0.11");
    expect(allocate(b, "i-1")).toBe("127.0.0.12");
    release(a, "i-1");
    expect(new Store(a).read().meta.addresses).toEqual({ "i-2": "127.0.0.11" });
    expect(allocate(b, "i-3")).toBe("127.0.0.10");
    rmSync(a, { recursive: true, force: true });
    expect(allocate(b, "i-4")).toBe("127.0.0.11");
  });
});
