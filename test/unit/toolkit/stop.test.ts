// The stop decision of the toolkit session, against real temporary HOMEs and a recording host: which
// questions are asked, what is cancelled, stopped or forgotten, and what is left on disk.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { stampOf, stampAlive } from "../../../src/process-identity.js";
import { readPending } from "../../../src/runs/pending-store.js";
import { readRun } from "../../../src/runs/store.js";
import { sshConfigFile } from "../../../src/home/paths.js";
import { upsertRunSshEntry } from "../../../src/ssh/ssh-config.js";
import { Toolkit } from "../../../src/toolkit/toolkit.js";
import { pendingRecord, runRecord, tempHome, withPending, withRuns } from "./homes.js";
import { recordingIoHost } from "./recording-io-host.js";

const kitFor = (
  home: string,
  answers: boolean[],
): { kit: Toolkit; io: ReturnType<typeof recordingIoHost> } => {
  const io = recordingIoHost(answers);
  return { kit: new Toolkit({ home, env: {}, io, cancelGraceMs: 5_000 }), io };
};

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0))
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
});

describe("Toolkit.stop", () => {
  it("refuses an unnamed run and names the closest one for a typo", async () => {
    const home = withRuns(tempHome(), [runRecord("vscode")]);
    const { kit } = kitFor(home, []);
    await expect(kit.stop(undefined)).rejects.toMatchObject({ code: "usage", exitCode: 2 });
    const error = await kit.stop("vscod").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: "run-not-found", hint: 'did you mean "vscode"?' });
  });

  it("forgets a run whose instance no longer answers, and its ssh entry", async () => {
    const home = withRuns(tempHome(), [runRecord("gone")]);
    upsertRunSshEntry(home, {
      run: "gone",
      instanceHost: "127.0.0.1",
      instancePort: 1,
      instanceUser: "root",
      runPort: 10022,
      user: "root",
      identityFile: "/nonexistent/id_ed25519",
    });
    expect(readFileSync(sshConfigFile(home), "utf8")).toContain("Host gone");
    const { kit, io } = kitFor(home, [true]);
    const outcome = await kit.stop("gone");
    expect(io.questions).toEqual(["Stop the run gone?"]);
    expect(outcome).toEqual({
      declined: false,
      run: { kind: "forgotten", name: "gone", instance: "local-gone" },
    });
    expect(readRun(home, "gone")).toBeUndefined();
    expect(readFileSync(sshConfigFile(home), "utf8")).not.toContain("Host gone");
    // Nothing was left over by a killed dstack: nothing to say.
    expect(io.messages).toEqual([]);
  }, 20_000);

  it("changes nothing when the user declines", async () => {
    const home = withRuns(tempHome(), [runRecord("kept")]);
    const { kit, io } = kitFor(home, [false]);
    expect(await kit.stop("kept")).toEqual({ declined: true });
    expect(io.questions).toEqual(["Stop the run kept?"]);
    expect(readRun(home, "kept")).toBeDefined();
  });

  it("forgets a pending run whose retrying never started", async () => {
    const home = tempHome();
    withPending(home, [pendingRecord(home, "waiting")]);
    const { kit, io } = kitFor(home, [true]);
    const outcome = await kit.stop("waiting");
    expect(io.questions).toEqual(["Cancel the pending run waiting?"]);
    expect(outcome).toEqual({
      declined: false,
      cancelled: {
        name: "waiting",
        was: "pending (no capacity, starting to retry)",
        pid: null,
        how: "not-running",
      },
    });
    expect(readPending(home, "waiting")).toBeUndefined();
  });

  it("keeps a pending run when the user declines its cancellation", async () => {
    const home = tempHome();
    withPending(home, [pendingRecord(home, "waiting")]);
    const { kit } = kitFor(home, [false]);
    expect(await kit.stop("waiting")).toEqual({ declined: true });
    expect(readPending(home, "waiting")).toBeDefined();
  });

  it("signals a live retrying process, which exits; an older run of the same name is left alone", async () => {
    const home = tempHome();
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.push(child.pid!);
    const stamp = stampOf(child.pid!);
    withRuns(home, [runRecord("again", { submitted_at: "2026-01-01T00:00:00.000Z" })]);
    withPending(home, [pendingRecord(home, "again", { process: stamp, trying: "local zone-a" })]);
    const { kit, io } = kitFor(home, [true]);
    const outcome = await kit.stop("again");
    expect(io.questions).toEqual(["Cancel the pending run again?"]);
    expect(outcome).toEqual({
      declined: false,
      cancelled: {
        name: "again",
        was: "pending (no capacity, attempt 3 in progress)",
        pid: child.pid,
        how: "cancelled",
      },
    });
    expect(stampAlive(stamp)).toBe(false);
    expect(readPending(home, "again")).toBeUndefined();
    // The ended run the pending one superseded is not stopped (it is not running).
    expect(readRun(home, "again")).toBeDefined();
  }, 20_000);

  it("stops the newer run without asking again when a stale pending record names it too", async () => {
    const home = tempHome();
    withRuns(home, [runRecord("landed", { submitted_at: "2026-01-03T00:00:00.000Z" })]);
    withPending(home, [pendingRecord(home, "landed")]); // submitted 2026-01-02: older than the run
    const { kit, io } = kitFor(home, []);
    const outcome = await kit.stop("landed");
    expect(io.questions).toEqual([]);
    expect(outcome.run).toMatchObject({ kind: "forgotten", name: "landed" });
    expect(existsSync(sshConfigFile(home))).toBe(false);
  }, 20_000);
});
