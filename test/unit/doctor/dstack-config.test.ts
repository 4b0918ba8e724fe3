import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check as makeCheck } from "../../../src/doctor/check.js";
import { localCheck } from "../../../src/doctor/cloud-checks.js";
import { configCheck } from "../../../src/doctor/config-check.js";
import { parseDstackConfig, readDstackConfig } from "../../../src/home/dstack-config.js";
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

  it("reads the local backend's simulated zones and faults", () => {
    const c = parseDstackConfig(
      [
        "backends:",
        "  - type: local",
        "    zones: [zone-a, zone-b, zone-c]",
        "    faults:",
        "      no_capacity: [zone-a, zone-b]",
        "      no_capacity_for: 60s",
        "",
      ].join("\n"),
      FILE,
    );
    expect(c.diagnostics).toEqual([]);
    expect(c.backends).toEqual([
      {
        type: "local",
        regions: [],
        zones: ["zone-a", "zone-b", "zone-c"],
        faults: { noCapacity: ["zone-a", "zone-b"], noCapacityFor: 60 },
      },
    ]);
    // A fault without no_capacity_for never clears.
    const forever = parseDstackConfig(
      "backends:\n  - type: local\n    zones: [a]\n    faults: {no_capacity: [a]}\n",
      FILE,
    );
    expect(forever.backends[0]?.faults).toEqual({ noCapacity: ["a"], noCapacityFor: null });
    // Or until a file exists, kept as written (apply resolves a relative one against ~/.dstack).
    const untilFile = parseDstackConfig(
      "backends:\n  - type: local\n    zones: [a]\n    faults: {no_capacity: [a], no_capacity_until_file: capacity}\n",
      FILE,
    );
    expect(untilFile.diagnostics).toEqual([]);
    expect(untilFile.backends[0]?.faults).toEqual({
      noCapacity: ["a"],
      noCapacityFor: null,
      noCapacityUntilFile: "capacity",
    });
  });

  it("points at every wrong zone and fault setting with line:col and a fix", () => {
    const c = parseDstackConfig(
      [
        "backends:",
        "  - type: local",
        "    zones: [zone-a, zone-b, zone-a]",
        "  - type: aws",
        "    zones: [us-east-1a]",
        "backends_: 1",
        "",
      ].join("\n"),
      FILE,
    );
    const lines = (d: typeof c) =>
      d.diagnostics.map((x) => `${x.severity} ${x.position?.line}:${x.position?.col} ${x.path} ${x.message}`);
    expect(lines(c)).toEqual([
      "error 3:29 backends[0].zones[2] zone zone-a is listed twice",
      "warning 5:5 backends[1].zones does not apply to a aws backend (only local) and is ignored",
    ]);

    const f = parseDstackConfig(
      [
        "backends:",
        "  - type: local",
        "    zones: [zone-a, zone-b]",
        "    faults:",
        "      no_capacity: [zone-a, us-east-1a, zone-bb]",
        "      no_capacity_for: soon",
        "      no_capcity: [zone-a]",
        "      no_capacity_until_file: 3",
        "",
      ].join("\n"),
      FILE,
    );
    expect(
      f.diagnostics.map((d) => `${d.severity} ${d.position?.line}:${d.position?.col} ${d.path} ${d.hint}`),
    ).toEqual([
      'error 7:7 backends[0].faults.no_capcity did you mean "no_capacity"?',
      "error 5:29 backends[0].faults.no_capacity[1] add it to `zones`, or name a listed zone",
      'error 5:41 backends[0].faults.no_capacity[2] did you mean "zone-b"?',
      "error 6:24 backends[0].faults.no_capacity_for write 90s, 30m, 2h, 1d, 1w, or a number of seconds",
      "error 8:31 backends[0].faults.no_capacity_until_file write `no_capacity_until_file: capacity` (then `touch ~/.dstack/capacity` clears the fault)",
    ]);
    expect(configCheck(f, show)).toMatchObject({
      status: "error",
      detail: "~/.dstack/config.yml:7:7: backends[0].faults.no_capcity: unknown fault (and 4 more)",
    });

    const noZones = parseDstackConfig("backends:\n  - type: local\n    faults: {no_capacity: [a]}\n", FILE);
    expect(noZones.diagnostics.map((d) => [d.position?.line, d.path, d.message, d.hint])).toEqual([
      [
        3,
        "backends[0].faults",
        "faults apply to simulated zones, and this backend lists none",
        "add `zones: [zone-a, zone-b, zone-c]` to this backend",
      ],
    ]);
    const notList = parseDstackConfig("backends:\n  - type: local\n    zones: zone-a\n", FILE);
    expect(notList.diagnostics.map((d) => `${d.position?.line}:${d.position?.col} ${d.message}`)).toEqual([
      "3:12 expected a list of zone names",
    ]);
  });

  it("doctor says when fault injection is on", () => {
    const ok = makeCheck("docker", "ok", "");
    const [local] = parseDstackConfig(
      "backends:\n  - type: local\n    zones: [a, b]\n    faults: {no_capacity: [a], no_capacity_for: 2m}\n",
      FILE,
    ).backends;
    expect(localCheck(ok, ok, local)).toMatchObject({
      status: "warning",
      detail:
        "Docker engine and local images ready; simulated zones a, b; FAULT INJECTION: no capacity in a, clearing 120s after the first attempt",
    });
    expect(localCheck(ok, ok, { type: "local", regions: [], zones: ["a"] })).toMatchObject({
      status: "ok",
      detail: "Docker engine and local images ready (no credentials needed); simulated zones a",
    });
  });
});

describe("cloud network settings in config.yml", () => {
  it("reads vpc_id, subnet_ids and resource_group, and points at a bad value", () => {
    const text = [
      "backends:",
      "  - type: aws",
      "    vpc_id: vpc-0abc",
      "    subnet_ids: [subnet-1, subnet-2]",
      "  - type: azure",
      "    resource_group: ml-pools",
      "  - type: gcp",
      "    subnet_ids: 12",
    ].join("\n");
    const config = parseDstackConfig(text, "config.yml");
    expect(config.backends[0]).toMatchObject({ vpcId: "vpc-0abc", subnetIds: ["subnet-1", "subnet-2"] });
    expect(config.backends[1]).toMatchObject({ resourceGroup: "ml-pools" });
    const [error] = config.diagnostics.filter((d) => d.severity === "error");
    expect(error?.message).toBe("expected a list of subnet ids");
    expect(error?.position?.line).toBe(8);
  });
});
