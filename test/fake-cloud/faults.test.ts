// Fault rules: parsing (every problem named), matching, `times` counted in the store across provider
// processes, `until`, `until_file` (a condition the test sets), and `delay_ms` (cancellable).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { awsFaultCodes } from "./aws/errors.js";
import { zonesOf } from "./aws/geo.js";
import {
  decideFault,
  parseFaults,
  ruleMatches,
  type FaultError,
  type FaultRule,
  type FaultTarget,
  type FaultWorld,
} from "./core/faults.js";
import type { JsonObject } from "./core/values.js";
import { awsProvider, gcpProvider, make, stateDir, T, urn } from "./helpers.js";
import { faultAttempts, listResources, writeFaults } from "./state.js";

const codes = (cloud: string, error: FaultError): readonly string[] =>
  cloud === "aws" ? awsFaultCodes(error) : [];
const target: FaultTarget = {
  cloud: "aws",
  zones: ["us-east-1a", "use1-az1"],
  region: "us-east-1",
  instanceType: "p4d.24xlarge",
};
const ami = "ami-0123456789abcdef0";
/** A world at `now` where exactly `files` exist. */
const world = (now = new Date(), files: string[] = []): FaultWorld => ({
  now,
  exists: (f) => files.includes(f),
});

describe("parseFaults", () => {
  it("accepts the documented keys", () => {
    const rules = parseFaults(
      '[{"cloud":"aws","error":"capacity","code":"Unsupported","zone":"use1-az1","region":"us-east-1","instance_type":"p4d.24xlarge","times":2,"until":"2099-01-01T00:00:00Z","until_file":"capacity","delay_ms":10}]',
      "f",
      codes,
    );
    expect(rules).toHaveLength(1);
  });

  it("names every problem by rule and key", () => {
    expect(() =>
      parseFaults(
        '[{"cloud":"oracle","instanceType":"x","times":0}, {"cloud":"aws","error":"capacity","code":"Nope"}]',
        "faults.json",
        codes,
      ),
    ).toThrow(
      'fake-cloud: faults.json: rule 0: unknown key "instanceType" (keys: cloud, error, code, zone, region, instance_type, spot, times, until, until_file, delay_ms); rule 0: "cloud" must be one of aws, gcp, azure; rule 0: "times" must be an integer >= 1; rule 1: "code" must be one of InsufficientInstanceCapacity, Unsupported',
    );
    expect(() => parseFaults("{", "faults.json", codes)).toThrow("fake-cloud: faults.json is not JSON");
    expect(() => parseFaults("{}", "faults.json", codes)).toThrow(
      "fake-cloud: faults.json must hold a JSON array of rules",
    );
  });
});

describe("matching", () => {
  it("matches cloud, either spelling of the zone, region, instance type, and only before `until`", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const m = (rule: Omit<FaultRule, "cloud">, cloud: FaultRule["cloud"] = "aws"): boolean =>
      ruleMatches({ cloud, ...rule }, target, world(now));
    expect(m({})).toBe(true);
    expect(m({}, "gcp")).toBe(false);
    expect(m({ zone: "use1-az1" })).toBe(true);
    expect(m({ zone: "us-east-1a" })).toBe(true);
    expect(m({ zone: "us-east-1b" })).toBe(false);
    expect(m({ region: "us-west-2" })).toBe(false);
    expect(m({ instance_type: "p4d.24xlarge" })).toBe(true);
    expect(m({ until: "2029-12-31T23:59:59Z" })).toBe(false);
    expect(m({ until: "2030-01-01T00:00:01Z" })).toBe(true);
  });

  it("`until_file` matches only while that file does not exist", () => {
    const rule: FaultRule = { cloud: "aws", until_file: "capacity" };
    expect(ruleMatches(rule, target, world())).toBe(true);
    expect(ruleMatches(rule, target, world(new Date(), ["other"]))).toBe(true);
    expect(ruleMatches(rule, target, world(new Date(), ["capacity"]))).toBe(false);
    expect(() => parseFaults('[{"cloud":"aws","until_file":""}]', "f", () => [])).toThrow(
      'rule 0: "until_file" must name a file',
    );
    expect(() => parseFaults('[{"cloud":"aws","until_file":1}]', "f", () => [])).toThrow(
      'rule 0: "until_file" must be a string',
    );
  });

  it("`spot` matches only spot creates (true) or only the others (false)", () => {
    const w = world();
    expect(ruleMatches({ cloud: "aws", spot: true }, target, w)).toBe(false);
    expect(ruleMatches({ cloud: "aws", spot: false }, target, w)).toBe(true);
    expect(ruleMatches({ cloud: "aws", spot: true }, { ...target, spot: true }, w)).toBe(true);
    expect(ruleMatches({ cloud: "aws", spot: false }, { ...target, spot: true }, w)).toBe(false);
    expect(() => parseFaults('[{"cloud":"aws","spot":"yes"}]', "f", () => [])).toThrow(
      'rule 0: "spot" must be a boolean',
    );
  });

  it("`times` fails the first N matching creates, then lets later rules decide", () => {
    const rules: FaultRule[] = [
      { cloud: "aws", error: "capacity", times: 1 },
      { cloud: "aws", error: "quota", times: 1 },
    ];
    const attempts: Record<string, number> = {};
    const w = world();
    expect(decideFault(rules, target, attempts, w)?.rule.error).toBe("capacity");
    expect(decideFault(rules, target, attempts, w)?.rule.error).toBe("quota");
    expect(decideFault(rules, target, attempts, w)).toBeNull();
  });
});

describe("faults at create", () => {
  it("a capacity rule fails the instance create with AWS's text and creates nothing; times:1 then lets it through, across processes", async () => {
    const dir = stateDir();
    writeFaults(dir, [{ cloud: "aws", error: "capacity", zone: "use1-az2", times: 1 }]);
    const inputs = { ami, instanceType: "p4d.24xlarge", subnetId: zonesOf("us-east-1")[1]?.subnetId ?? "" };
    await expect(make(awsProvider(dir), T.instance, "i", inputs)).rejects.toThrow(
      /api error InsufficientInstanceCapacity: We currently do not have sufficient p4d\.24xlarge capacity in the Availability Zone you requested \(us-east-1b\)\. .* choosing us-east-1a, us-east-1c, us-east-1d, us-east-1e, us-east-1f\.$/,
    );
    expect(listResources(dir, "aws")).toEqual([]);
    // Another provider (another plugin process) on the same directory sees the rule used up.
    const vm = await make(awsProvider(dir), T.instance, "i", inputs);
    expect(vm.id).toMatch(/^i-/);
    expect(listResources(dir, "aws").map((r) => r.id)).toEqual([vm.id]);
  });

  it("until_file: creates fail, each counted, until the test writes the file (relative to the state directory)", async () => {
    const dir = stateDir();
    writeFaults(dir, [{ cloud: "aws", error: "capacity", until_file: "capacity" }]);
    const inputs = { ami, instanceType: "t3.micro", availabilityZone: "us-east-1a" };
    expect(faultAttempts(dir, 0)).toBe(0);
    for (const name of ["a", "b", "c"])
      await expect(make(awsProvider(dir), T.instance, name, inputs)).rejects.toThrow(
        "InsufficientInstanceCapacity",
      );
    expect(faultAttempts(dir, 0)).toBe(3);
    writeFileSync(join(dir, "capacity"), "");
    const vm = await make(awsProvider(dir), T.instance, "d", inputs);
    expect(listResources(dir, "aws").map((r) => r.id)).toEqual([vm.id]);
    // A rule that no longer applies decides nothing, so it counts nothing either.
    expect(faultAttempts(dir, 0)).toBe(3);
    expect(faultAttempts(dir, 1)).toBe(0);
  });

  it("other resources and other zones are not affected", async () => {
    const dir = stateDir();
    writeFaults(dir, [{ cloud: "aws", error: "capacity", zone: "us-east-1c" }]);
    const p = awsProvider(dir);
    await make(p, T.volume, "v", { availabilityZone: "us-east-1c", size: 1 });
    await make(p, T.instance, "i", { ami, instanceType: "t3.micro", availabilityZone: "us-east-1a" });
    await expect(
      make(p, T.instance, "j", { ami, instanceType: "t3.micro", availabilityZone: "us-east-1c" }),
    ).rejects.toThrow("InsufficientInstanceCapacity");
  });

  it("delay_ms without an error slows the create down; cancel aborts the wait", async () => {
    const dir = stateDir();
    writeFaults(dir, [
      { cloud: "gcp", delay_ms: 300, times: 1 },
      { cloud: "gcp", delay_ms: 60_000 },
    ]);
    const p = gcpProvider(dir);
    const vm = (name: string): JsonObject => ({
      name,
      zone: "us-central1-a",
      machineType: "e2-small",
      bootDisk: {},
      networkInterfaces: [{ network: "default" }],
    });
    const started = Date.now();
    await make(p, T.gce, "a", vm("a"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const slow = make(p, T.gce, "b", vm("b"));
    setTimeout(() => void p.cancel(), 100);
    await expect(slow).rejects.toThrow(
      "fake-cloud (gcp): create of projects/proj-1/zones/us-central1-a/instances/b cancelled: context canceled",
    );
  });

  it("a broken faults.json fails every instance create, saying why", async () => {
    const dir = stateDir();
    writeFileSync(join(dir, "faults.json"), '[{"cloud":"aws","eror":"capacity"}]');
    await expect(make(awsProvider(dir), T.instance, "i", { ami, instanceType: "t3.micro" })).rejects.toThrow(
      `fake-cloud: ${join(dir, "faults.json")}: rule 0: unknown key "eror"`,
    );
  });

  it("preview never consults the rules", async () => {
    const dir = stateDir();
    writeFaults(dir, [{ cloud: "aws", error: "capacity" }]);
    const res = await awsProvider(dir).create(urn(T.instance, "i"), { ami, instanceType: "t3.micro" }, true);
    expect(res.id).toBe("");
  });
});
