// The fixture's secrets manager: base64 on the wire, batch answers keyed by ciphertext, ciphertexts bound
// to their stack (and kept through a rename and a restart).
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PulumiService } from "./server.js";
import { call, createStack, startTestService, tempDataDir } from "./test-client.js";

let service: PulumiService;
const dataDir = tempDataDir();
beforeAll(async () => {
  service = await startTestService(dataDir);
  await createStack(service, "alice", "sec", "one");
  await createStack(service, "alice", "sec", "two");
});
afterAll(async () => {
  await service.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const text = (b: string): string => Buffer.from(b, "base64").toString("utf8");

async function encrypt(stack: string, plaintext: string): Promise<string> {
  const r = await call<{ ciphertext: string }>(service, "POST", `/api/stacks/alice/sec/${stack}/encrypt`, {
    body: { plaintext: b64(plaintext) },
  });
  expect(r.status).toBe(200);
  return r.body.ciphertext;
}

describe("pulumi service stand-in: secrets", () => {
  it("encrypts and decrypts one value; the ciphertext is not the plaintext and differs each time", async () => {
    const c1 = await encrypt("one", "hunter2");
    const c2 = await encrypt("one", "hunter2");
    expect(c1).not.toBe(c2);
    expect(text(c1)).not.toContain("hunter2");
    const r = await call<{ plaintext: string }>(service, "POST", "/api/stacks/alice/sec/one/decrypt", {
      body: { ciphertext: c1 },
    });
    expect(text(r.body.plaintext)).toBe("hunter2");
  });

  it("batch-encrypts in order and batch-decrypts into a map keyed by each ciphertext", async () => {
    const enc = await call<{ ciphertexts: string[] }>(
      service,
      "POST",
      "/api/stacks/alice/sec/one/batch-encrypt",
      {
        gzip: true,
        body: { plaintexts: [b64("a"), b64("bb")] },
      },
    );
    const [ca = "", cb = ""] = enc.body.ciphertexts;
    const dec = await call<{ plaintexts: Record<string, string> }>(
      service,
      "POST",
      "/api/stacks/alice/sec/one/batch-decrypt",
      {
        gzip: true,
        body: { ciphertexts: [cb, ca] },
      },
    );
    expect(Object.fromEntries(Object.entries(dec.body.plaintexts).map(([k, v]) => [k, text(v)]))).toEqual({
      [ca]: "a",
      [cb]: "bb",
    });
  });

  it("a ciphertext of one stack does not open in another (400)", async () => {
    const c = await encrypt("one", "mine");
    const r = await call(service, "POST", "/api/stacks/alice/sec/two/decrypt", { body: { ciphertext: c } });
    expect(r).toEqual({
      status: 400,
      body: { code: 400, message: "Bad Request: ciphertext is not one of this stack's" },
    });
  });

  it("a renamed stack still opens its secrets, also after a restart", async () => {
    const c = await encrypt("two", "kept");
    await call(service, "POST", "/api/stacks/alice/sec/two/rename", { body: { newName: "three" } });
    const port = service.port;
    await service.close();
    service = await startTestService(dataDir, { port });
    const r = await call<{ plaintext: string }>(service, "POST", "/api/stacks/alice/sec/three/decrypt", {
      body: { ciphertext: c },
    });
    expect(text(r.body.plaintext)).toBe("kept");
  });
});
