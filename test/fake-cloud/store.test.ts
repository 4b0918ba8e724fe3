// The store under concurrent writers: several processes incrementing the counter under the lock lose
// no update and leave whole JSON files.
import { spawn } from "node:child_process";
import { buildSync } from "esbuild";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "./core/store.js";
import { stateDir } from "./helpers.js";
import { listResources, removeResource, seedResource } from "./state.js";

function run(script: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) =>
    spawn(process.execPath, [script, ...args], { stdio: "ignore" }).on("exit", resolve),
  );
}

describe("Store", () => {
  it("serializes writers from several processes", async () => {
    const dir = stateDir();
    const script = join(dir, "writer.cjs");
    buildSync({
      stdin: {
        contents: `import { Store } from "./core/store.ts";
          const store = new Store(process.argv[2]);
          for (let i = 0; i < 40; i++) store.transact((d) => { d.meta.counter++; d.clouds.aws.resources["r" + process.pid + "-" + i] = { type: "t", id: "x", urn: "", inputs: {}, outputs: {}, serial: 0, createdAt: "" }; });`,
        resolveDir: import.meta.dirname,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: script,
      logLevel: "silent",
    });
    const codes = await Promise.all([1, 2, 3, 4].map(() => run(script, [dir])));
    expect(codes).toEqual([0, 0, 0, 0]);
    const data = new Store(dir).read();
    expect(data.meta.counter).toBe(160);
    expect(Object.keys(data.clouds.aws.resources)).toHaveLength(160);
  }, 30_000);

  it("seeds and removes resources behind the engine's back", () => {
    const dir = stateDir();
    seedResource(dir, "gcp", {
      type: "gcp:compute/disk:Disk",
      id: "projects/p/zones/z/disks/d",
      outputs: { zone: "z" },
    });
    expect(listResources(dir, "gcp", "gcp:compute/disk:Disk")).toMatchObject([
      { id: "projects/p/zones/z/disks/d", outputs: { id: "projects/p/zones/z/disks/d", zone: "z" } },
    ]);
    expect(removeResource(dir, "gcp", "projects/p/zones/z/disks/d")).toBe(true);
    expect(removeResource(dir, "gcp", "projects/p/zones/z/disks/d")).toBe(false);
    expect(listResources(dir)).toEqual([]);
  });
});
