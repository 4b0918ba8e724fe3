// `dstack catalog update` offline: a dead local port stands in for the network.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { PRICE_SOURCES, redirectSources } from "../../../src/catalog/price-sources.js";
import { probeSources } from "../../../src/catalog/update.js";

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("price sources", () => {
  it("are unreachable on a port nothing listens on, with the reason", async () => {
    const sources = redirectSources(PRICE_SOURCES, `http://127.0.0.1:${await deadPort()}/`);
    expect(sources.every((s) => s.url.startsWith("http://127.0.0.1:"))).toBe(true);
    const results = await probeSources(sources, { timeoutMs: 2000 });
    expect(results.map((r) => r.backend)).toEqual(["aws", "gcp", "azure"]);
    for (const r of results) expect(r).toMatchObject({ reachable: false, detail: "ECONNREFUSED" });
  });

  it("report a timeout as such, and HTTP answers as reachable", async () => {
    const slow = await probeSources(PRICE_SOURCES.slice(0, 1), {
      timeoutMs: 50,
      fetchText: (_url, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason as Error)),
        ),
    });
    expect(slow[0]).toMatchObject({ reachable: false, detail: "no answer within 0.05s" });
    const ok = await probeSources(PRICE_SOURCES, {
      timeoutMs: 50,
      fetchText: () => Promise.resolve({ status: 200 }),
    });
    expect(ok.every((r) => r.reachable && r.detail === "HTTP 200")).toBe(true);
  });
});
