// How fleets show in ps: only what the stack reported (addresses), and a fleet whose creator died
// mid-update as interrupted, with the command that cleans it up.
import { describe, expect, it } from "vitest";
import {
  fleetJson,
  fleetProcess,
  fleetRow,
  fleetStatus,
  fleetStatusText,
  fleetWhere,
} from "../../../src/fleets/fleet-view.js";
import { fleetRecord } from "./fixtures.js";

describe("fleet view", () => {
  it("a provisioned fleet: its zone from the instances, its IPs, nodes against the target", () => {
    const fleet = fleetRecord();
    expect(fleetStatus(fleet, false)).toBe("provisioned");
    expect(fleetWhere(fleet)).toBe("us-east-1/us-east-1d");
    expect(fleetRow(fleet, "provisioned")).toEqual([
      "gpus",
      "aws",
      "us-east-1/us-east-1d",
      "t3.large",
      "on-demand",
      "$0.0832",
      "-",
      "2/2",
      "provisioned (203.0.113.7, 203.0.113.8)",
    ]);
    expect(fleetJson(fleet, "provisioned")).toMatchObject({ status: "provisioned", zone: "use1-az4" });
    // With what its instances cost (fleet-cost.ts): the COST column and the numbers in --json.
    const cost = { hourly: 0.1883178, accrued: 4.2 };
    expect(fleetRow(fleet, "provisioned", cost)[6]).toBe("$4.2");
    expect(fleetJson(fleet, "provisioned", cost)).toMatchObject({
      price_hourly: 0.188318,
      cost_accrued: 4.2,
    });
    expect(fleetJson(fleet, "provisioned")).toMatchObject({ price_hourly: null, cost_accrued: null });
  });

  it("provisioning while its creator runs, interrupted once it is gone", () => {
    const fleet = fleetRecord({ status: "provisioning", instances: [], zone: null });
    expect(fleetStatus(fleet, true)).toBe("provisioning");
    expect(fleetStatus(fleet, false)).toBe("interrupted");
    expect(fleetStatusText(fleet, "interrupted")).toContain("dstack delete gpus cleans up");
    expect(fleetWhere(fleet)).toBe("us-east-1");
    expect(fleetRow(fleet, "provisioning")[7]).toBe("0/2");
  });

  it("pending while its background process retries; failed once that process is gone or gave up", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const stamp = { pid: 4242, host: "h", start: 1 };
    const retrying = {
      reason: "no capacity",
      pass: 2,
      attempts: 7,
      next_try_at: new Date(now + 120_000).toISOString(),
      trying: null,
      process: stamp,
      submitted_at: new Date(now - 60_000).toISOString(),
      cwd: "/repo",
      log_file: "/home/.dstack/logs/provision-fleet-gpus.log",
    };
    const pending = fleetRecord({ status: "pending", instances: [], retrying });
    expect(fleetProcess(pending)).toEqual(stamp);
    expect(fleetStatus(pending, true)).toBe("pending");
    expect(fleetStatusText(pending, "pending", now)).toBe("pending (no capacity, attempt 7, next try in 2m)");
    expect(fleetStatus(pending, false)).toBe("failed");
    expect(fleetStatusText(pending, "failed", now)).toBe("failed (the retrying process 4242 exited)");
    const trying = fleetRecord({
      status: "pending",
      retrying: { ...retrying, trying: "aws us-east-1 use1-az2" },
    });
    expect(fleetStatusText(trying, "pending", now)).toBe("pending (no capacity, attempt 7 in progress)");
    // The background's attempt itself: the record says provisioning (its creator is that process), and
    // ps still shows the pending fleet with its attempt in progress; interrupted if that process died.
    const attempt = fleetRecord({
      status: "provisioning",
      creator: stamp,
      retrying: { ...retrying, attempts: 8, trying: "aws us-east-1 use1-az2" },
    });
    expect(fleetProcess(attempt)).toEqual(stamp);
    expect(fleetStatus(attempt, true)).toBe("pending");
    expect(fleetStatusText(attempt, "pending", now)).toBe("pending (no capacity, attempt 8 in progress)");
    expect(fleetStatus(attempt, false)).toBe("interrupted");
    const gaveUp = fleetRecord({
      status: "failed",
      retrying: { ...retrying, reason: "no capacity within retry.duration", message: "..." },
    });
    expect(fleetStatus(gaveUp, false)).toBe("failed");
    expect(fleetStatusText(gaveUp, "failed", now)).toBe(
      "failed (no capacity within retry.duration, after 7 attempts)",
    );
    expect(fleetJson(pending, "pending")).toMatchObject({
      status: "pending",
      retrying: { reason: "no capacity", attempts: 7, pid: 4242 },
    });
  });
});
