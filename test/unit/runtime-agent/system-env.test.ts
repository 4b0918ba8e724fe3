// This node's address for DSTACK_MASTER_NODE_IP: the first non-loopback IPv4 address.
import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { nodeAddress } from "../../../src/runtime-agent/system-env.js";

const nic = (address: string, family: "IPv4" | "IPv6", internal: boolean): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as NetworkInterfaceInfo;

describe("nodeAddress", () => {
  it.each([
    [
      "a VM's private address",
      {
        lo: [nic("127.0.0.1", "IPv4", true)],
        ens5: [nic("fe80::1", "IPv6", false), nic("10.0.1.5", "IPv4", false)],
      },
      "10.0.1.5",
    ],
    ["loopback only", { lo: [nic("127.0.0.1", "IPv4", true)] }, "127.0.0.1"],
    ["nothing", {}, "127.0.0.1"],
  ])("%s", (_what, interfaces, expected) => {
    expect(nodeAddress(interfaces)).toBe(expected);
  });
});
