// dstack's resubmission backoff and the retries it yields within a retry window.
import { describe, expect, it } from "vitest";
import { backoffSeconds, retrySchedule } from "../../../src/planner/backoff.js";

describe("backoffSeconds", () => {
  it("is 15s, 30s, 1m, 2m, 5m, then 10m for ever", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map(backoffSeconds)).toEqual([15, 30, 60, 120, 300, 600, 600, 600]);
  });

  it("rejects attempts that are not positive integers", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => backoffSeconds(bad)).toThrow(RangeError);
  });
});

describe("retrySchedule", () => {
  it("lists retry times within the window (1h, dstack's default for `retry: true`)", () => {
    const t0 = 1_000_000;
    const offsets = retrySchedule(t0, 3600).map((t) => t - t0);
    // 15, 45, 105, 225, 525, then every 600s up to 3600.
    expect(offsets).toEqual([15, 45, 105, 225, 525, 1125, 1725, 2325, 2925, 3525]);
  });

  it("includes a retry exactly at the end and nothing for a window shorter than the first wait", () => {
    expect(retrySchedule(0, 45)).toEqual([15, 45]);
    expect(retrySchedule(0, 14)).toEqual([]);
    expect(retrySchedule(0, 0)).toEqual([]);
  });
});
