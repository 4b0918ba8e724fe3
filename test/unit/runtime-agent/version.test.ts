// Version negotiation: same major accepted, another major refused with 426 naming both versions.
import { describe, expect, it } from "vitest";
import { checkApiVersion, parseVersion } from "../../../src/runtime-agent/version.js";

describe("checkApiVersion", () => {
  it("accepts the agent's major with any minor", () => {
    expect(checkApiVersion("1.0", "1.0")).toBeNull();
    expect(checkApiVersion("1.7", "1.2")).toBeNull();
    expect(checkApiVersion("1.0", "1.2")).toBeNull();
  });

  it("refuses a newer major with 426 naming both versions", () => {
    const r = checkApiVersion("2.0", "1.0");
    expect(r?.status).toBe(426);
    expect(r?.body).toMatchObject({
      code: "api_version_unsupported",
      client_version: "2.0",
      agent_version: "1.0",
    });
    expect(r?.body.error).toMatch(/2\.0.*1\.0.*update the agent/);
  });

  it("refuses an older major, telling to update the CLI", () => {
    expect(checkApiVersion("1.9", "2.0")?.body.error).toMatch(/update the dstack CLI/);
  });

  it("answers 400 to a missing or malformed header", () => {
    expect(checkApiVersion(undefined)?.status).toBe(400);
    expect(checkApiVersion("")?.body.code).toBe("api_version_missing");
    expect(checkApiVersion("v1")?.body.code).toBe("api_version_invalid");
    expect(checkApiVersion("1")?.status).toBe(400);
  });

  it("parses MAJOR.MINOR only", () => {
    expect(parseVersion("10.2")).toEqual([10, 2]);
    expect(parseVersion("1.2.3")).toBeNull();
  });
});
