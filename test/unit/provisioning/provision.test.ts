// The failover loop with an injected fake `addInstance`: a pool that fails creates in faulted zones the
// way the local backend does (the same fault function, a fake clock), so every decision of the loop is
// checked without Docker or Pulumi.
import { describe, expect, it } from "vitest";
import type { MatchedOffer } from "../../../src/catalog/offer.js";
import type { RetrySpec } from "../../../src/compiler/spec.js";
import { planAttempts, type Attempt } from "../../../src/planner/attempt-plan.js";
import { ATTEMPT_TIMEOUT } from "../../../src/planner/failure-report.js";
import { CleanupFailed } from "../../../src/provisioning/cleanup-failed.js";
import { EngineError, engineDetail } from "../../../src/engine/errors.js";
import {
  HandedOff,
  provision,
  ProvisionFailed,
  type ProvisionPolicy,
  type ProvisionState,
} from "../../../src/provisioning/provision.js";
import { capacityFault, type FaultInputs } from "../../../src/stacks/local/faults.js";
import { fixtureError, loadFixture } from "../../fixtures/engine-events/fixture.js";
import { offer } from "../planner/fixtures.js";

const ZONES = ["zone-a", "zone-b", "zone-c"];
const LOCAL: MatchedOffer = offer({
  backend: "local",
  region: "local",
  instance_type: "local",
  zones: ZONES,
  price: 0,
});

/**
 * What stack-runner throws for a faulted create: the provider's message as the failed resource's
 * diagnostic, and Pulumi's echoes of it only in the raw output.
 */
function faultError(zone: string, fault: string): EngineError {
  const name = `local-${zone}`;
  return new EngineError("failed", "the Pulumi update of pool-local failed", {
    operation: "up",
    diagnostics: [
      {
        urn: `urn:pulumi:pool-local::dstack::pulumi-nodejs:dynamic:Resource::${name}`,
        type: "pulumi-nodejs:dynamic:Resource",
        name,
        op: "create",
        message: fault,
      },
      { message: "update failed" },
    ],
    raw: [
      ` +  pulumi-nodejs:dynamic:Resource ${name} creating (0s) error: ${fault}`,
      ` +  pulumi-nodejs:dynamic:Resource ${name} **creating failed** error: ${fault}`,
      "error: update failed",
    ].join("\n"),
  });
}

/** A pool of instances whose creates fail in faulted zones; each create takes 2 s of the fake clock. */
class FakePool {
  clock = 0;
  readonly created: string[] = [];
  readonly waits: number[] = [];
  readonly lines: string[] = [];
  constructor(
    readonly faults: FaultInputs,
    readonly firstAttemptAt = 0,
  ) {}
  add = (a: Attempt): Promise<string> => {
    this.clock += 2000;
    const fault = capacityFault(this.faults, a.zone, this.firstAttemptAt, this.clock);
    if (fault !== null) return Promise.reject(faultError(a.zone ?? "-", fault));
    this.created.push(a.zone ?? "-");
    return Promise.resolve(`instance in ${a.zone ?? "-"}`);
  };
  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted === true) return Promise.reject(new Error("aborted"));
    this.clock += ms;
    this.waits.push(ms);
    return Promise.resolve();
  };
  deps(plan: () => readonly Attempt[] = () => planAttempts([LOCAL], { spotPolicy: "on-demand" })) {
    return {
      plan,
      attempt: (a: Attempt) => this.add(a),
      progress: (line: string) => this.lines.push(line),
      now: () => this.clock,
      sleep: this.sleep,
    };
  }
}

const faults = (no_capacity: string[], no_capacity_for: number | null = null): FaultInputs => ({
  zones: ZONES,
  no_capacity,
  no_capacity_for,
  state_file: "/nonexistent",
});

const policy = (over: Partial<ProvisionPolicy> = {}): ProvisionPolicy => ({
  attemptTimeoutMs: 60_000,
  retry: null,
  submittedAt: 0,
  backoffScale: 1,
  ...over,
});

const RETRY: RetrySpec = { on_events: ["no-capacity"], duration: 3600 };

describe("provision", () => {
  it("moves zone by zone and lands in the first zone with capacity", async () => {
    const pool = new FakePool(faults(["zone-a", "zone-b"]));
    const result = await provision(pool.deps(), policy());
    expect(result).toMatchObject({
      value: "instance in zone-c",
      passes: 1,
      attempt: { n: 3, zone: "zone-c" },
    });
    expect(result.tries.map((t) => [t.attempt.zone, t.code, t.decision])).toEqual([
      ["zone-a", "InsufficientInstanceCapacity", "next-zone"],
      ["zone-b", "InsufficientInstanceCapacity", "next-zone"],
    ]);
    expect(pool.created).toEqual(["zone-c"]);
    expect(pool.lines).toEqual([
      "Attempt 1/3: local zone-a (local, on-demand)...",
      "Attempt 1/3: local zone-a ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 2/3: local zone-b (local, on-demand)...",
      "Attempt 2/3: local zone-b ... no capacity (InsufficientInstanceCapacity), trying the next zone",
      "Attempt 3/3: local zone-c (local, on-demand)...",
      "Attempt 3/3: local zone-c ... provisioned",
    ]);
  });

  it("without retry, the first exhaustion fails with the report of every attempt", async () => {
    const pool = new FakePool(faults(ZONES));
    const error = await provision(pool.deps(), policy()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionFailed);
    const failed = error as ProvisionFailed;
    expect(failed.exitCode).toBe(1);
    expect(failed.code).toBe("no-capacity");
    expect(failed.tries.map((t) => [t.attempt.n, t.attempt.zone, t.code])).toEqual([
      [1, "zone-a", "InsufficientInstanceCapacity"],
      [2, "zone-b", "InsufficientInstanceCapacity"],
      [3, "zone-c", "InsufficientInstanceCapacity"],
    ]);
    expect(failed.message).toMatch(/^Provisioning failed: 3 attempts failed\./);
    expect(failed.message).toContain("zone-c  local     on-demand  $0     InsufficientInstanceCapacity");
    expect(failed.message).toContain("add `retry` to wait for capacity");
    expect(pool.lines.at(-1)).toBe(
      "Attempt 3/3: local zone-c ... no capacity (InsufficientInstanceCapacity), no offer left to try",
    );
    expect(pool.created).toEqual([]);
  });

  it("with retry on no-capacity, waits the backoff and plans again until the fault clears", async () => {
    // Every zone faulted for 20 s; a pass takes 6 s, then 15 s of backoff: the second pass lands.
    const pool = new FakePool(faults(ZONES, 20));
    let plans = 0;
    const result = await provision(
      pool.deps(() => (plans++, planAttempts([LOCAL], { spotPolicy: "on-demand" }))),
      policy({ retry: RETRY }),
    );
    expect(plans).toBe(2);
    expect(pool.waits).toEqual([15_000]);
    expect(result).toMatchObject({ passes: 2, value: "instance in zone-a" });
    expect(result.tries.map((t) => t.pass)).toEqual([1, 1, 1]);
    expect(pool.lines).toContain(
      "No capacity in this pass (3 attempts); retrying in 15s (retry 1, 60m of retry.duration left)",
    );
  });

  it("gives up once the next retry would fall after retry.duration, reporting the last pass", async () => {
    const pool = new FakePool(faults(ZONES));
    const error = (await provision(pool.deps(), policy({ retry: { ...RETRY, duration: 60 } })).catch(
      (e: unknown) => e,
    )) as ProvisionFailed;
    // Passes end at 6 s, 27 s (after 15 s) and 63 s (after 30 s); a third wait would end after 60 s.
    expect(pool.waits).toEqual([15_000, 30_000]);
    expect(error.passes).toBe(3);
    expect(error.tries).toHaveLength(9);
    expect(error.message).toMatch(/^no capacity after 3 passes over the offers/);
    expect(error.message).toContain("3 attempts failed");
  });

  it("the backoff scale shrinks every wait (the testing aid)", async () => {
    const pool = new FakePool(faults(ZONES, 8));
    await provision(pool.deps(), policy({ retry: RETRY, backoffScale: 0.01 }));
    expect(pool.waits).toEqual([150]);
  });

  it("stop fails at once: credentials are not fixed by another offer", async () => {
    const aws = offer({ backend: "aws", region: "us-east-1", zones: ["use1-az1", "use1-az2"] });
    let calls = 0;
    const lines: string[] = [];
    const error = (await provision(
      {
        plan: () => planAttempts([aws], { spotPolicy: "on-demand" }),
        attempt: () => (
          calls++,
          Promise.reject(new Error("error: api error AuthFailure: AWS was not able to validate"))
        ),
        progress: (l) => lines.push(l),
      },
      policy({ retry: RETRY }),
    ).catch((e: unknown) => e)) as ProvisionFailed;
    expect(calls).toBe(1);
    expect(error.code).toBe("provisioning-stopped");
    expect(error.tries.map((t) => [t.code, t.decision])).toEqual([["AuthFailure", "stop"]]);
    expect(lines.at(-1)).toBe(
      "Attempt 1/2: aws us-east-1 use1-az1 ... credentials rejected (AuthFailure), stopping: no other offer can succeed until this is fixed",
    );
  });

  it("a regional quota skips the rest of the region", async () => {
    const east = offer({ backend: "aws", region: "us-east-1", zones: ["use1-az1", "use1-az2"], price: 1 });
    const west = offer({ backend: "aws", region: "us-west-2", zones: ["usw2-az1"], price: 2 });
    const tried: (string | null)[] = [];
    const lines: string[] = [];
    const result = await provision(
      {
        plan: () => planAttempts([east, west], { spotPolicy: "on-demand" }),
        attempt: (a) => {
          tried.push(a.zone);
          return a.region === "us-east-1"
            ? Promise.reject(new Error("api error VcpuLimitExceeded: You have requested more vCPU capacity"))
            : Promise.resolve("ok");
        },
        progress: (l) => lines.push(l),
      },
      policy(),
    );
    expect(tried).toEqual(["use1-az1", "usw2-az1"]);
    expect(result.attempt.n).toBe(3);
    expect(lines[1]).toBe(
      "Attempt 1/3: aws us-east-1 use1-az1 ... quota exceeded (VcpuLimitExceeded), skipping the rest of aws us-east-1, trying the next offer",
    );
  });

  it("throttling tries the same attempt again after a short wait, twice at most", async () => {
    const pool = new FakePool(faults([]));
    let calls = 0;
    const result = await provision(
      {
        ...pool.deps(),
        attempt: (a) =>
          ++calls <= 2
            ? Promise.reject(new Error("api error RequestLimitExceeded: Request limit exceeded."))
            : pool.add(a),
      },
      policy({ backoffScale: 0.5 }),
    );
    expect(pool.waits).toEqual([2500, 5000]);
    expect(result.attempt.zone).toBe("zone-a");
    expect(pool.lines[1]).toBe(
      "Attempt 1/3: local zone-a ... throttled (RequestLimitExceeded), trying it again in 2.5s",
    );
  });

  it("an attempt past its deadline is cancelled and the next one tried", async () => {
    const signals: AbortSignal[] = [];
    const lines: string[] = [];
    const result = await provision(
      {
        plan: () => planAttempts([LOCAL], { spotPolicy: "on-demand" }),
        attempt: (a, signal) => {
          signals.push(signal);
          if (a.zone !== "zone-a") return Promise.resolve(a.zone);
          // A create that never finishes by itself: it ends (and cleans up) when cancelled.
          return new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(new Error("the pool-local update was cancelled"))),
          );
        },
        progress: (l) => lines.push(l),
      },
      policy({ attemptTimeoutMs: 50 }),
    );
    expect(result.value).toBe("zone-b");
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
    expect(result.tries.map((t) => [t.code, t.decision])).toEqual([[ATTEMPT_TIMEOUT, "next-zone"]]);
    expect(lines[1]).toBe(
      "Attempt 1/3: local zone-a ... no result within 0.1s, cancelled (AttemptTimeout), trying the next zone",
    );
  });

  it("Ctrl-C during an attempt ends provisioning with exit code 130", async () => {
    const user = new AbortController();
    let calls = 0;
    const error = (await provision(
      {
        plan: () => planAttempts([LOCAL], { spotPolicy: "on-demand" }),
        attempt: () => {
          calls++;
          user.abort();
          return Promise.reject(new Error("the pool-local update was cancelled"));
        },
        progress: () => undefined,
      },
      policy({ signal: user.signal, retry: RETRY }),
    ).catch((e: unknown) => e)) as { code: string; exitCode: number };
    expect(calls).toBe(1);
    expect(error).toMatchObject({ code: "cancelled", exitCode: 130 });
  });

  it("Ctrl-C during the backoff wait ends provisioning with exit code 130", async () => {
    const user = new AbortController();
    const pool = new FakePool(faults(ZONES));
    const deps = pool.deps();
    const error = (await provision(
      {
        ...deps,
        progress: (line) => {
          if (line.startsWith("No capacity in this pass")) user.abort();
        },
      },
      policy({ signal: user.signal, retry: RETRY }),
    ).catch((e: unknown) => e)) as { code: string; exitCode: number };
    expect(error).toMatchObject({ code: "cancelled", exitCode: 130 });
    expect(pool.waits).toEqual([]);
  });

  it("a failed attempt that could not be cleaned up stops everything", async () => {
    let calls = 0;
    const error = await provision(
      {
        plan: () => planAttempts([LOCAL], { spotPolicy: "on-demand" }),
        attempt: () => (
          calls++,
          Promise.reject(new CleanupFailed("local-1", new Error("a"), new Error("b")))
        ),
        progress: () => undefined,
      },
      policy(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleanupFailed);
    expect(calls).toBe(1);
  });

  it("an empty plan is no capacity: it fails, or waits under retry", async () => {
    const pool = new FakePool(faults([]));
    const empty = await provision(
      pool.deps(() => []),
      policy(),
    ).catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: "no-capacity", tries: [] });
    let plans = 0;
    const later = await provision(
      pool.deps(() => (plans++ === 0 ? [] : planAttempts([LOCAL], { spotPolicy: "on-demand" }))),
      policy({ retry: RETRY }),
    );
    expect(later.passes).toBe(2);
  });
});

describe("provision: what a failed attempt reports", () => {
  const localCapacity = fixtureError("local-capacity", "pool-local");
  const oneZone = (): Attempt[] =>
    planAttempts([{ ...LOCAL, zones: ["zone-a"] }], { spotPolicy: "on-demand" });

  it("classifies from the failed resource's diagnostic and reports the cloud's message once", async () => {
    const lines: string[] = [];
    const error = (await provision(
      { plan: oneZone, attempt: () => Promise.reject(localCapacity), progress: (l) => lines.push(l) },
      policy(),
    ).catch((e: unknown) => e)) as ProvisionFailed;
    const [fault] = localCapacity.failure.diagnostics;
    expect(error.tries.map((t) => [t.code, t.decision, t.message])).toEqual([
      ["InsufficientInstanceCapacity", "next-zone", fault?.message],
    ]);
    expect(lines.at(-1)).toBe(
      "Attempt 1/1: local zone-a ... no capacity (InsufficientInstanceCapacity), no offer left to try",
    );
    // The report's row: the cloud's own sentence, once, not Pulumi's echoes of the whole error.
    expect(error.message.split("We currently do not have sufficient local capacity").length - 1).toBe(1);
    expect(error.message).not.toContain("creating failed");
  });

  it("without diagnostics (no events) the raw output's error lines are classified instead", async () => {
    const raw = loadFixture("local-capacity").error.message;
    const noEvents = new EngineError("failed", "the Pulumi update of pool-local failed", {
      operation: "up",
      diagnostics: [],
      raw,
    });
    const error = (await provision(
      { plan: oneZone, attempt: () => Promise.reject(noEvents), progress: () => undefined },
      policy(),
    ).catch((e: unknown) => e)) as ProvisionFailed;
    expect(error.tries.map((t) => [t.code, t.message])).toEqual([
      ["InsufficientInstanceCapacity", engineDetail(raw)],
    ]);
  });

  it("a failure that is not the engine's is read by its message", async () => {
    const lines: string[] = [];
    const error = (await provision(
      {
        plan: oneZone,
        attempt: () => Promise.reject(new Error("docker: no space left on device")),
        progress: (l) => lines.push(l),
      },
      policy(),
    ).catch((e: unknown) => e)) as ProvisionFailed;
    expect(error.tries.map((t) => [t.code, t.message])).toEqual([[null, "docker: no space left on device"]]);
    expect(lines.at(-1)).toBe(
      "Attempt 1/1: local zone-a ... failed: docker: no space left on device, no offer left to try",
    );
  });
});

describe("provision: the detached retrying", () => {
  it("under handOff, a pass without capacity throws HandedOff instead of waiting", async () => {
    const pool = new FakePool(faults(ZONES, 20));
    const states: ProvisionState[] = [];
    const error = await provision(
      { ...pool.deps(), onState: (s) => states.push(s) },
      policy({ retry: RETRY, handOff: true }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandedOff);
    const handed = error as HandedOff;
    // Three attempts of 2 s each, then the 15 s backoff would start: the next try is at 6 s + 15 s.
    expect(handed.waiting).toEqual({
      kind: "waiting",
      pass: 1,
      attempts: 3,
      nextTryAt: 21_000,
      reason: "no capacity",
    });
    expect(handed.tries).toHaveLength(3);
    expect(pool.waits).toEqual([]);
    expect(states.map((s) => [s.kind, s.attempts])).toEqual([
      ["attempting", 1],
      ["attempting", 2],
      ["attempting", 3],
    ]);
  });

  it("without retry, handOff changes nothing: the first exhaustion fails", async () => {
    const pool = new FakePool(faults(ZONES));
    const error = await provision(pool.deps(), policy({ handOff: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionFailed);
  });

  it("resume carries on: waits until the next try, counts on from the attempts made, same deadline", async () => {
    // The foreground made pass 1 (3 attempts, clock 6 s); the background resumes at 21 s.
    const pool = new FakePool(faults(ZONES, 40));
    pool.clock = 7_000;
    const states: ProvisionState[] = [];
    const result = await provision(
      { ...pool.deps(), onState: (s) => states.push(s) },
      policy({ retry: RETRY, resume: { pass: 2, attempts: 3, startAt: 21_000 } }),
    );
    // Waited 14 s to reach 21 s; pass 2 failed (21..27 s), backoff 30 s (pass 2's), pass 3 lands at 57 s.
    expect(pool.waits).toEqual([14_000, 30_000]);
    expect(result).toMatchObject({ passes: 3, value: "instance in zone-a" });
    expect(states.filter((s) => s.kind === "attempting").map((s) => s.attempts)).toEqual([4, 5, 6, 7]);
    expect(states.find((s) => s.kind === "waiting")).toEqual({
      kind: "waiting",
      pass: 2,
      attempts: 6,
      nextTryAt: 57_000,
      reason: "no capacity",
    });
  });
});
