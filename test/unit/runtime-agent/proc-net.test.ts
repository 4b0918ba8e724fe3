// Parsing real /proc/net/tcp{,6} text.
import { describe, expect, it } from "vitest";
import { parseProcNetTcp } from "../../../src/runtime-agent/proc-net.js";
import { TCP, TCP6 } from "./proc-samples.js";

describe("parseProcNetTcp", () => {
  it("reads every IPv4 socket with its local port and whether it is ESTABLISHED", () => {
    const sockets = parseProcNetTcp(TCP);
    expect(sockets).toHaveLength(7);
    expect(sockets[1]).toEqual({
      local: "0100007F:2726",
      remote: "00000000:0000",
      localPort: 10022,
      established: false,
      listening: true,
    });
    expect(sockets[3]).toEqual({
      local: "0100007F:2726",
      remote: "0100007F:B1E0",
      localPort: 10022,
      established: true,
      listening: false,
    });
    expect(sockets.filter((s) => s.established && s.localPort === 10022)).toHaveLength(1);
    expect(sockets[5]).toMatchObject({ established: false, listening: false }); // TIME_WAIT
  });

  it("reads IPv6 sockets, including IPv4-mapped connections", () => {
    const est = parseProcNetTcp(TCP6).filter((s) => s.established && s.localPort === 10023);
    expect(est.map((s) => s.remote)).toEqual([
      "00000000000000000000000001000000:84B6",
      "0000000000000000FFFF00000100007F:98C6",
    ]);
  });

  it("skips the header, blank and malformed lines", () => {
    expect(parseProcNetTcp("")).toEqual([]);
    expect(parseProcNetTcp("header\n\n  garbage\n   0: 0100007F:ZZZZ 00000000:0000 0A")).toEqual([]);
  });
});
