// The agent's configuration file: defaults, required fields, the API version it was written for.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/runtime-agent/config.js";

describe("parseConfig", () => {
  it("fills defaults; host_data_dir defaults to data_dir (a VM)", () => {
    expect(parseConfig({ instance_name: "i", data_dir: "/d" })).toEqual({
      api_version: "1.2",
      listen_port: 8765,
      data_dir: "/d",
      host_data_dir: "/d",
      docker_socket: "/var/run/docker.sock",
      network_mode: "host",
      instance_name: "i",
      ssh_port_base: 10022,
      proc_net_dir: "/proc/self/net",
      poll_interval_ms: 2000,
      min_connection_age_ms: 10000,
      instance_fs_in_data_dir: false,
      idle_duration_s: null,
      host_mounts: [],
    });
    expect(parseConfig({ instance_name: "i", idle_duration_s: 300 }).idle_duration_s).toBe(300);
  });

  it("lists every problem and refuses another major API version", () => {
    expect(() => parseConfig({ api_version: "2.0", listen_port: "x" })).toThrow(
      /listen_port: expected a number.*instance_name: expected a string.*api_version: 2\.0 is not supported/,
    );
    expect(() => parseConfig("x")).toThrow(/expected a JSON object/);
  });
});
