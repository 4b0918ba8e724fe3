// dstack's inactivity rule: a connection counts once alive > 10 s; inactivity is time since the last one.
import { describe, expect, it } from "vitest";
import {
  inactiveSeconds,
  limitReached,
  sshReady,
  trackActivity,
  type ActivityState,
} from "../../../src/runtime-agent/inactivity.js";
import { parseProcNetTcp } from "../../../src/runtime-agent/proc-net.js";
import { TCP, TCP6 } from "./proc-samples.js";

const sockets = [...parseProcNetTcp(TCP), ...parseProcNetTcp(TCP6)];
const empty: ActivityState = { connections: {}, last_active_at: null };
const T0 = 1_000_000;

describe("trackActivity", () => {
  it("records first-seen per connection but counts it only after the minimum age", () => {
    const a = trackActivity(empty, sockets, 10023, T0, 10_000);
    expect(Object.keys(a.connections)).toHaveLength(2);
    expect(a.last_active_at).toBeNull();
    const b = trackActivity(a, sockets, 10023, T0 + 10_000, 10_000);
    expect(b.last_active_at).toBeNull(); // exactly 10 s is not "more than 10 s"
    const c = trackActivity(b, sockets, 10023, T0 + 10_001, 10_000);
    expect(c.last_active_at).toBe(T0 + 10_001);
    expect(c.connections).toEqual(a.connections);
  });

  it("ignores listeners, client-side sockets and other ports", () => {
    const a = trackActivity(empty, sockets, 10022, T0, 0);
    expect(Object.keys(a.connections)).toEqual(["0100007F:2726>0100007F:B1E0"]);
    expect(trackActivity(empty, sockets, 2022, T0, 0)).toEqual(empty);
  });

  it("forgets closed connections and keeps the last active time", () => {
    const a = trackActivity(empty, sockets, 10022, T0, 0);
    const b = trackActivity(a, sockets, 10022, T0 + 5_000, 0);
    const closed = trackActivity(b, [], 10022, T0 + 9_000, 0);
    expect(closed).toEqual({ connections: {}, last_active_at: T0 + 5_000 });
    expect(inactiveSeconds(closed, T0 - 60_000, T0 + 9_000)).toBe(4);
  });

  it("a short connection that closes before the minimum age never counts", () => {
    const a = trackActivity(empty, sockets, 10022, T0, 10_000);
    const b = trackActivity(a, [], 10022, T0 + 3_000, 10_000);
    expect(b.last_active_at).toBeNull();
    expect(inactiveSeconds(b, T0 - 7_000, T0 + 3_000)).toBe(10); // since the run started
  });
});

describe("sshReady", () => {
  it("is true once a socket listens on the run's port, on IPv4 or IPv6", () => {
    expect(sshReady(sockets, 10022)).toBe(true);
    expect(sshReady(sockets, 10023)).toBe(true);
    expect(sshReady(sockets, 0xb1e0)).toBe(false); // only a client socket there
  });
});

describe("limitReached", () => {
  const limits = { inactivity_duration: 60, max_duration: 3600 };
  it("stops at the inactivity limit, not before", () => {
    expect(limitReached(limits, 59, T0, T0 + 100_000)).toBeNull();
    expect(limitReached(limits, 60, T0, T0 + 100_000)).toBe("inactivity");
  });
  it("max_duration counts from the start and wins over inactivity", () => {
    expect(limitReached(limits, 120, T0, T0 + 3_600_000)).toBe("max_duration");
    expect(limitReached(limits, 0, T0, T0 + 3_599_999)).toBeNull();
  });
  it("null limits never stop a run", () => {
    expect(limitReached({ inactivity_duration: null, max_duration: null }, 1e9, 0, 1e12)).toBeNull();
  });
});
