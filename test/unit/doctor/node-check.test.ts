import { describe, expect, it } from "vitest";
import { nodeCheck } from "../../../src/doctor/node-check.js";

describe("nodeCheck", () => {
  it("accepts Node 20.19 and newer", () => {
    expect(nodeCheck("20.19.0")).toMatchObject({ name: "node", status: "ok", detail: "Node.js v20.19.0" });
    expect(nodeCheck("v22.3.1").status).toBe("ok");
  });

  it("warns on an early Node 20 and refuses Node 18", () => {
    expect(nodeCheck("20.10.0")).toMatchObject({
      status: "warning",
      hint: expect.stringContaining("20.19") as string,
    });
    expect(nodeCheck("18.20.4")).toMatchObject({ status: "error", detail: "Node.js v18.20.4 is too old" });
  });
});
