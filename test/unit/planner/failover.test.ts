// The failover decisions: how a failure is read, which attempt comes next, and when `retry` waits.
import { describe, expect, it } from "vitest";
import {
  failureOutcome,
  isNextZone,
  isNoCapacity,
  nextAttemptIndex,
  retryWaitMs,
} from "../../../src/planner/failover.js";
import { ATTEMPT_TIMEOUT, type FailedTry } from "../../../src/planner/failure-report.js";
import { attempt, offer } from "./fixtures.js";

const EAST = offer({ backend: "aws", region: "us-east-1", price: 1 });
const WEST = offer({ backend: "aws", region: "us-west-2", price: 2 });
const GCP = offer({ backend: "gcp", region: "us-central1", instance_type: "a2-highgpu-1g", price: 3 });
const PLAN = [
  attempt(1, EAST, "use1-az1"),
  attempt(2, EAST, "use1-az2"),
  attempt(3, WEST, "usw2-az1"),
  attempt(4, GCP, "us-central1-a"),
  attempt(5, GCP, "us-central1-b"),
];

const tried = (code: string | null): FailedTry => ({
  attempt: PLAN[0]!,
  code,
  message: "",
  decision: "next-zone",
});

describe("failureOutcome", () => {
  it("reads the error table, scoped to the attempt's cloud, and keeps the message it matched", () => {
    expect(
      failureOutcome(["api error VcpuLimitExceeded: You have requested more vCPU"], "aws", false),
    ).toEqual({
      code: "VcpuLimitExceeded",
      kind: "quota",
      decision: "next-region",
      message: "api error VcpuLimitExceeded: You have requested more vCPU",
    });
    expect(failureOutcome(["AuthFailure: AWS was not able to validate"], "aws", false).decision).toBe("stop");
  });

  it("a deadline is a timeout whatever the messages; unknown messages move on", () => {
    expect(failureOutcome(["the update was cancelled"], "aws", true)).toEqual({
      code: ATTEMPT_TIMEOUT,
      kind: null,
      decision: "next-zone",
      message: "the update was cancelled",
    });
    expect(failureOutcome(["docker: no space left on device"], "local", false)).toEqual({
      code: null,
      kind: null,
      decision: "next-zone",
      message: "docker: no space left on device",
    });
  });
});

describe("nextAttemptIndex", () => {
  it("next-zone is the next attempt, next-region skips the region, next-backend the backend", () => {
    expect(nextAttemptIndex(PLAN, 0, "next-zone")).toBe(1);
    expect(nextAttemptIndex(PLAN, 0, "next-region")).toBe(2);
    expect(nextAttemptIndex(PLAN, 0, "next-backend")).toBe(3);
    expect(nextAttemptIndex(PLAN, 3, "next-region")).toBe(5);
    expect(nextAttemptIndex(PLAN, 4, "next-zone")).toBe(5);
  });

  it("retry stays, stop ends the plan", () => {
    expect(nextAttemptIndex(PLAN, 2, "retry")).toBe(2);
    expect(nextAttemptIndex(PLAN, 0, "stop")).toBe(PLAN.length);
  });

  it("isNextZone: another zone of the same offer", () => {
    expect(isNextZone(PLAN, 0, 1)).toBe(true);
    expect(isNextZone(PLAN, 1, 2)).toBe(false);
    expect(isNextZone(PLAN, 4, 5)).toBe(false);
  });
});

describe("retry on no-capacity", () => {
  const retry = { on_events: ["no-capacity" as const], duration: 3600 };
  const base = { retry, submittedAt: 0, now: 0, retryNumber: 1, scale: 1 };
  const noCapacity = [tried("InsufficientInstanceCapacity")];

  it("waits the backoff schedule, scaled", () => {
    expect(retryWaitMs(noCapacity, base)).toBe(15_000);
    expect(retryWaitMs(noCapacity, { ...base, retryNumber: 3 })).toBe(60_000);
    expect(retryWaitMs(noCapacity, { ...base, retryNumber: 9 })).toBe(600_000);
    expect(retryWaitMs(noCapacity, { ...base, retryNumber: 2, scale: 0.01 })).toBe(300);
  });

  it("only within retry.duration of the submission (a retry exactly at the end still happens)", () => {
    expect(retryWaitMs(noCapacity, { ...base, now: 3_585_000 })).toBe(15_000);
    expect(retryWaitMs(noCapacity, { ...base, now: 3_585_001 })).toBeNull();
  });

  it("not without retry, or without no-capacity among its events", () => {
    expect(retryWaitMs(noCapacity, { ...base, retry: null })).toBeNull();
    expect(
      retryWaitMs(noCapacity, { ...base, retry: { on_events: ["interruption", "error"], duration: 3600 } }),
    ).toBeNull();
  });

  it("a pass is no-capacity when nothing matched, or some attempt lacked capacity, quota or time", () => {
    expect(isNoCapacity([])).toBe(true);
    expect(isNoCapacity([tried(null), tried("VcpuLimitExceeded")])).toBe(true);
    expect(isNoCapacity([tried(ATTEMPT_TIMEOUT)])).toBe(true);
    expect(isNoCapacity([tried("RequestLimitExceeded")])).toBe(true);
    expect(isNoCapacity([tried(null), tried(null)])).toBe(false);
    expect(isNoCapacity([tried("AuthFailure")])).toBe(false);
    expect(retryWaitMs([tried(null)], base)).toBeNull();
  });
});
