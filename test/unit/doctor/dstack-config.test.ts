import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configCheck } from "../../../src/doctor/config-check.js";
import { parseDstackConfig, readDstackConfig } from "../../../src/doctor/dstack-config.js";
import { homeRelative } from "../../../src/doctor/run-doctor.js";
import { tempDir, withFiles } from "./fakes.js";

const show = homeRelative("/home/u");
const FILE = "/home/u/.dstack/config.yml";

describe("~/.dstack/config.yml", () => {
  it("reads the backends and their settings", () => {
    const c = parseDstackConfig(
      [
        "backends:",
        "  - type: aws",
        "    regions: [us-east-1, us-west-2]",
        "    vpc_name: main",
        "  - type: gcp",
        "    project: my-proj",
        "  - type: azure",
        "    subscription_id: 0000-1111",
        "    creds: {type: client, client_secret: do-not-print}",
        "",
      ].join("\n"),
      FILE,
    );
    expect(c.diagnostics).toEqual([]);
    expect(c.backends).toEqual([
      { type: "aws", regions: ["us-east-1", "us-west-2"], vpcName: "main" },
      { type: "gcp", regions: [], project: "my-proj" },
      { type: "azure", regions: [], subscriptionId: "0000-1111" },
    ]);
    const check = configCheck(c, show);
    expect(check).toEqual({
      name: "dstack-config",
      status: "ok",
      detail: "~/.dstack/config.yml: backends aws, gcp, azure",
      hint: null,
    });
  });

  it("reports a YAML syntax error with file:line:col", () => {
    const c = parseDstackConfig("backends:\n  - type: aws\n   regions: [x\n", FILE);
    const check = configCheck(c, show);
    expect(check.status).toBe("error");
    expect(check.detail).toMatch(/^~\/\.dstack\/config\.yml:\d+:\d+: invalid YAML/);
  });

  it("points at a wrong type, a region that is not a list and a near-miss key", () => {
    const c = parseDstackConfig(
      "backends:\n  - type: awz\n  - type: gcp\n    regions: europe-west4\n  - type: aws\n    region: [us-east-1]\n",
      FILE,
    );
    const lines = c.diagnostics.map(
      (d) => `${d.severity} ${d.position?.line}:${d.position?.col} ${d.path} ${d.hint ?? ""}`,
    );
    expect(lines).toEqual([
      'error 2:11 backends[0].type did you mean "aws"?',
      "error 4:14 backends[1].regions write `regions: [us-east-1, us-west-2]`",
      'warning 6:5 backends[2].region did you mean "regions"?',
    ]);
    expect(configCheck(c, show)).toMatchObject({
      status: "error",
      detail: '~/.dstack/config.yml:2:11: backends[0].type: unknown backend type "awz" (and 2 more)',
      hint: 'did you mean "aws"?',
    });
  });

  it("warns about settings that do not apply to the backend type", () => {
    const c = parseDstackConfig("backends:\n  - type: aws\n    project: p\n", FILE);
    expect(configCheck(c, show)).toMatchObject({
      status: "warning",
      detail: expect.stringContaining("backends[0].project") as string,
    });
  });

  it("an absent file is 'missing', an empty one has no backends", () => {
    const home = tempDir();
    expect(configCheck(readDstackConfig(home), homeRelative(home)).status).toBe("missing");
    withFiles({ ".dstack/config.yml": "" }, home);
    const c = readDstackConfig(home);
    expect(c).toMatchObject({ file: join(home, ".dstack", "config.yml"), present: true, backends: [] });
    expect(configCheck(c, homeRelative(home)).detail).toBe("~/.dstack/config.yml: no backends listed");
  });
});
