// EngineError: stable codes, the engine's diagnostics carried along, and what the user reads (each
// failed resource with its provider's message once, not Pulumi's echoes of it). Built from engine
// events recorded from real failed updates (test/fixtures/engine-events).
import { describe, expect, it } from "vitest";
import { EngineError, engineDetail, failureMessages, rawOutput } from "../../../src/engine/errors.js";
import { fixtureError, loadFixture } from "../../fixtures/engine-events/fixture.js";

describe("EngineError", () => {
  it("reads as the failed resource and its provider's message, once", () => {
    const error = fixtureError("aws-capacity", "pool-aws");
    expect(error.code).toBe("engine-failed");
    expect(error.engineCode).toBe("failed");
    expect(error.exitCode).toBe(1);
    const [head, detail, ...rest] = error.message.split("\n");
    expect(head).toBe("the Pulumi update of pool-aws failed:");
    expect(detail).toMatch(
      /^ {2}pool-vm \(aws:ec2\/instance:Instance\): creating EC2 Instance: operation error EC2: RunInstances, .*api error InsufficientInstanceCapacity: /,
    );
    expect(rest).toEqual([]);
  });

  it("a failure with no resource shows the program's own error", () => {
    const error = fixtureError("program-error");
    expect(error.message).toMatch(
      /^the Pulumi update of dev failed:\n {2}Unhandled exception: Error: the compiled spec is missing\n/,
    );
  });

  it("a failure without events (a lock, before the engine started) shows the raw output's error lines", () => {
    const raw =
      "Command failed with exit code 255: pulumi up --yes\nerror: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://b/.pulumi/locks/organization/dstack/pool-aws/x.json: created by alice@host (pid 4242) at 2026-12-01T10:00:00Z\n";
    const error = new EngineError("locked", "stack pool-aws is locked", {
      operation: "up",
      diagnostics: [],
      raw,
    });
    expect(error.code).toBe("engine-locked");
    expect(error.message).toBe(
      "stack pool-aws is locked:\n  error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    );
  });

  it("cancelled exits like an interrupted command", () => {
    const error = new EngineError("cancelled", "the pool-local update was cancelled", {
      operation: "up",
      diagnostics: [],
      raw: "",
    });
    expect(error.exitCode).toBe(130);
    expect(error.message).toBe("the pool-local update was cancelled");
  });
});

describe("failureMessages", () => {
  it("the failed resources' messages exactly as their providers gave them", () => {
    const messages = failureMessages(fixtureError("gcp-capacity-and-quota"));
    expect(messages).toEqual([
      "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded",
      "Error waiting for instance to create: The zone 'projects/proj-1/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.",
    ]);
  });

  it("falls back to the stack's errors, the raw output, then the summary; other errors are their message", () => {
    expect(failureMessages(fixtureError("program-error"))[1]).toBe("the compiled spec is missing");
    const raw = loadFixture("local-capacity").error.message;
    const noEvents = new EngineError("failed", "the Pulumi update of dev failed", {
      operation: "up",
      diagnostics: [],
      raw,
    });
    expect(failureMessages(noEvents)).toEqual([engineDetail(raw)]);
    const cancelled = new EngineError("cancelled", "the dev update was cancelled", {
      operation: "up",
      diagnostics: [],
      raw: "",
    });
    expect(failureMessages(cancelled)).toEqual(["the dev update was cancelled"]);
    expect(failureMessages(new Error("docker: no space left on device"))).toEqual([
      "docker: no space left on device",
    ]);
    expect(failureMessages("plain")).toEqual(["plain"]);
  });
});

describe("engineDetail", () => {
  it("keeps the error lines of the engine's output", () => {
    const text =
      "code: 255\nstdout: \nUpdating (dev)\n\nerror: update failed\n    error: InsufficientInstanceCapacity\nstderr: \n";
    expect(engineDetail(text)).toBe("error: update failed\nerror: InsufficientInstanceCapacity");
  });
});

describe("rawOutput", () => {
  it("a CommandError's stderr, else the message", () => {
    const commandError = Object.assign(new Error("code: 1\n stdout: \n stderr: boom\n"), {
      commandResult: { stdout: "", stderr: "boom\n", code: 1 },
    });
    expect(rawOutput(commandError)).toBe("boom\n");
    expect(rawOutput(Object.assign(new Error("whole"), { commandResult: { stderr: " " } }))).toBe("whole");
    expect(rawOutput(new Error("just this"))).toBe("just this");
  });
});
