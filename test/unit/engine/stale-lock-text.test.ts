// Stale locks on remote DIY backends (s3://, gs://, azblob://), read from the engine's error text: the
// parser on texts captured from Pulumi 3.248.0 against MinIO, and the decision to clear them.
import { spawn, spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import type { LockHolder } from "../../../src/engine/lock-info.js";
import { isDiyBackend, isServiceBackend, lockedHint, parseLockText } from "../../../src/engine/lock-text.js";
import { allHoldersDead } from "../../../src/engine/stale-lock.js";

const URL_1 =
  "s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true";
const URL_2 =
  "s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/0b5c3d0e-1111-4222-8333-944455556666.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true";

/** ConcurrentUpdateError.message of `up` on a stack whose `pulumi up` was SIGKILLed (verbatim). */
const ONE_LOCK =
  "code: -2\n stdout: \n stderr: Command failed with exit code 1: /root/.cache/dstack/pulumi/v3.248.0/bin/pulumi up --yes --skip-preview --client=127.0.0.1:33015 --exec-kind auto.inline --stack locked --non-interactive\nerror: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z\n err?: Error: Command failed with exit code 1: /root/.cache/dstack/pulumi/v3.248.0/bin/pulumi up --yes --skip-preview --client=127.0.0.1:33015 --exec-kind auto.inline --stack locked --non-interactive\nerror: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z\n";

/** The same stack with a second lock object (another host, another time zone) and an SDK warning line. */
const TWO_LOCKS =
  "code: -2\n stdout: \n stderr: Command failed with exit code 1: /root/.cache/dstack/pulumi/v3.248.0/bin/pulumi up --yes --skip-preview --client=127.0.0.1:46165 --exec-kind auto.inline --stack locked --non-interactive\nSDK 2026/11/22 16:26:49 WARN Response has no supported checksum. Not validating response payload.\nerror: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/0b5c3d0e-1111-4222-8333-944455556666.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by alice@build-7 (pid 4242) at 2026-11-22T17:02:03+01:00\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z\n err?: Error: Command failed with exit code 1: /root/.cache/dstack/pulumi/v3.248.0/bin/pulumi up --yes --skip-preview --client=127.0.0.1:46165 --exec-kind auto.inline --stack locked --non-interactive\nSDK 2026/11/22 16:26:49 WARN Response has no supported checksum. Not validating response payload.\nerror: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/0b5c3d0e-1111-4222-8333-944455556666.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by alice@build-7 (pid 4242) at 2026-11-22T17:02:03+01:00\n  s3://exp-mws1s57t/.pulumi/locks/organization/exp/locked/5eed9e1f-b635-442f-a235-5ae45d44e441.json?disable_https=true&endpoint=http%3A%2F%2F127.0.0.1%3A9900&region=us-east-1&s3ForcePathStyle=true: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z\n";

const HEADER =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

describe("the DIY backend's lock text", () => {
  it("one lock: its object, user, host, pid and time", () => {
    expect(parseLockText(ONE_LOCK)).toEqual([
      {
        url: URL_1,
        holder: { username: "root", hostname: "vm", pid: 22059, since: "2026-11-22T16:24:53Z" },
      },
    ]);
  });

  it("several locks, in the engine's order, past a warning line", () => {
    expect(parseLockText(TWO_LOCKS)).toEqual([
      {
        url: URL_2,
        holder: { username: "alice", hostname: "build-7", pid: 4242, since: "2026-11-22T17:02:03+01:00" },
      },
      {
        url: URL_1,
        holder: { username: "root", hostname: "vm", pid: 22059, since: "2026-11-22T16:24:53Z" },
      },
    ]);
  });

  it("a username holding @ keeps it; the host is what follows the last @", () => {
    const text = `${HEADER}\n  gs://b/.pulumi/locks/o/p/s/x.json: created by ann@corp.example@ws-1 (pid 7) at 2026-01-02T03:04:05Z`;
    expect(parseLockText(text)?.[0]?.holder).toMatchObject({
      username: "ann@corp.example",
      hostname: "ws-1",
    });
  });

  it("anything else reads as unknown, never as a partial list", () => {
    const line = `  ${URL_1}: created by root@vm (pid 22059) at 2026-11-22T16:24:53Z`;
    for (const text of [
      // Pulumi Cloud's: a server-side update, nothing to judge.
      "error: [409] Conflict: Another update is currently in progress.",
      "",
      HEADER,
      // Fewer lock lines than the count.
      HEADER.replace("1 lock(s)", "2 lock(s)") + `\n${line}`,
      HEADER.replace("1 lock(s)", "0 lock(s)"),
      `${HEADER}\n${line.replace(" (pid 22059)", "")}`,
      `${HEADER}\n${line.replace("(pid 22059)", "(pid 0)")}`,
      `${HEADER}\n${line.replace("2026-11-22T16:24:53Z", "yesterday")}`,
      `${HEADER}\n${line.replace("root@vm", "root@")}`,
      `${HEADER}\n${line.trimStart()}`,
    ])
      expect(parseLockText(text), text).toBeUndefined();
  });

  it("judged only on DIY backends; Pulumi Cloud is a service", () => {
    for (const url of [
      "s3://b?endpoint=127.0.0.1:9900",
      "gs://b",
      "azblob://c",
      "file:///root/.dstack/state",
    ])
      expect(isDiyBackend(url), url).toBe(true);
    for (const url of ["https://api.pulumi.com", "http://pulumi.internal"])
      expect(isDiyBackend(url), url).toBe(false);
    expect(isServiceBackend("https://api.pulumi.com")).toBe(true);
  });

  it("the hint leaves `pulumi cancel` to the user, and on Pulumi Cloud says it is their decision", () => {
    expect(lockedHint("https://api.pulumi.com")).toMatch(/`pulumi cancel`.*is your decision/);
    for (const url of ["s3://b", "file:///tmp/state"])
      expect(lockedHint(url)).toMatch(
        /if you know its process died.*`pulumi cancel`.*a live update's included/,
      );
    expect(lockedHint("s3://b")).not.toContain("force-unlock");
  });
});

const deadPid = (): number =>
  Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );

/** As Pulumi's text gives it: RFC 3339, whole seconds. */
const wholeSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const holder = (pid: number, host = hostname(), since = wholeSeconds(Date.now())): LockHolder => ({
  username: "root",
  hostname: host,
  pid,
  since,
});

describe("clearing remote DIY locks", () => {
  it("every holder dead on this host: clear", () => {
    expect(allHoldersDead([holder(deadPid())])).toBe(true);
    expect(allHoldersDead([holder(deadPid()), holder(deadPid())])).toBe(true);
  });

  it("a live holder, one on another host, or none: leave the locks alone", () => {
    expect(allHoldersDead([holder(process.pid)])).toBe(false);
    expect(allHoldersDead([holder(deadPid(), "another-machine")])).toBe(false);
    expect(allHoldersDead([holder(deadPid()), holder(process.pid)])).toBe(false);
    expect(allHoldersDead([holder(deadPid()), holder(deadPid(), "another-machine")])).toBe(false);
    expect(allHoldersDead([])).toBe(false);
  });

  it("a live process started within the second the text rounds down to is taken for the holder", async () => {
    // The text's time is rounded down, so a process started up to a second after it may hold the lock.
    const since = wholeSeconds(Date.now());
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      expect(allHoldersDead([holder(child.pid ?? -1, hostname(), since)])).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a pid reused by a process started well after the lock counts as dead", () => {
    // This test process started long after a lock taken a year ago: its pid merely reuses the holder's.
    expect(
      allHoldersDead([holder(process.pid, hostname(), wholeSeconds(Date.now() - 3_600_000 * 24 * 365))]),
    ).toBe(true);
  });
});
