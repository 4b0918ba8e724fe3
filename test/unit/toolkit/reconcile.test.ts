// The one line the next command prints about instances that went away without dstack.
import { describe, expect, it } from "vitest";
import { describeGone } from "../../../src/toolkit/reconcile.js";

describe("describeGone", () => {
  it("names one instance, and says nothing of runs when none were on it", () => {
    expect(describeGone([{ instance: "aws-1a2b3c", runs: [] }])).toBe(
      "instance aws-1a2b3c is no longer running (stopped itself after its idle_duration, or taken by the cloud): removed from its pool's stack",
    );
  });

  it("counts several and says what happened to each run", () => {
    expect(
      describeGone([
        { instance: "local-aaaaaa", runs: [{ name: "train", resubmitted: true }] },
        { instance: "gcp-bbbbbb", runs: [{ name: "dev", resubmitted: false, why: "no retry" }] },
      ]),
    ).toBe(
      "2 instances (local-aaaaaa, gcp-bbbbbb) are no longer running (stopped itself after its idle_duration, or taken by the cloud): removed from their pools' stacks; train resubmitted, dev interrupted",
    );
  });
});
