// What the Automation API throws becomes an EngineError whose code comes from the SDK's typed errors
// and the signal, never from the text; the events' diagnostics ride along (recorded events from
// test/fixtures/engine-events).
import { describe, expect, it } from "vitest";
import * as auto from "@pulumi/pulumi/automation/index.js";
import { engineErrorOf } from "../../../src/engine/guarded.js";
import type { StackTarget } from "../../../src/engine/open-stack.js";
import { loadFixture } from "../../fixtures/engine-events/fixture.js";

const target: StackTarget = {
  project: "dstack",
  stack: "pool-aws",
  program: () => Promise.resolve({}),
  backend: { url: "file:///nonexistent", kind: "file", passphrase: undefined, passphraseSource: "none" },
  pulumiBinDir: "/nonexistent",
};

describe("engineErrorOf", () => {
  it("a failed update keeps the failed resource's diagnostic and the raw output", async () => {
    const { events, error } = loadFixture("aws-capacity");
    const got = await engineErrorOf(new auto.CommandError(error.message), events, "up", target, {});
    expect(got.engineCode).toBe("failed");
    expect(got.message.split("\n")[0]).toBe("the Pulumi update of pool-aws failed:");
    expect(got.failure.operation).toBe("up");
    expect(got.failure.diagnostics.map((d) => [d.name, d.op])).toEqual([
      ["pool-vm", "create"],
      [undefined, undefined],
    ]);
    expect(got.failure.raw).toBe(error.message);
  });

  it("the SDK's typed errors decide the code, whatever the text says", async () => {
    const notFound = new auto.StackNotFoundError(
      "no stack named 'pool-aws' found (InsufficientInstanceCapacity)",
    );
    expect((await engineErrorOf(notFound, [], "refresh", target, {})).engineCode).toBe("stack-not-found");
    const exists = new auto.StackAlreadyExistsError("stack 'pool-aws' already exists");
    expect((await engineErrorOf(exists, [], "up", target, {})).engineCode).toBe("already-exists");
    expect(
      (await engineErrorOf(new Error("stack 'x' already exists"), [], "up", target, {})).engineCode,
    ).toBe("failed");
  });

  it("an aborted signal is a cancellation (exit 130), with the events' diagnostics kept", async () => {
    const { events } = loadFixture("local-capacity");
    const signal = AbortSignal.abort();
    const got = await engineErrorOf(new auto.CommandError("killed"), events, "up", target, { signal });
    expect(got).toMatchObject({ engineCode: "cancelled", code: "engine-cancelled", exitCode: 130 });
    expect(got.message).toMatch(
      /^the pool-aws update was cancelled:\n {2}local-fault-1 \(pulumi-nodejs:dynamic:Resource\): creating local instance: /,
    );
    expect(got.failure.raw).toBe("");
  });

  it("an EngineError passes through as it is", async () => {
    const first = await engineErrorOf(new Error("boom"), [], "preview", target, {});
    expect(await engineErrorOf(first, [], "up", target, {})).toBe(first);
    expect(first.message).toBe("the Pulumi preview of pool-aws failed:\n  boom");
  });
});
