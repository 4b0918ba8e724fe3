import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AWS_USER_DATA_LIMIT, gzipBase64, renderUserData } from "../../../src/templates/user-data.js";

// Built by the test global setup (scripts/build.mjs builds the agent too).
const agentSource = readFileSync(new URL("../../../dist/agent/dstack-agent.js", import.meta.url), "utf8");
const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGl2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2Z2l2 dstack";
const config = {
  api_version: "1.0",
  listen_port: 8765,
  data_dir: "/var/lib/dstack",
  instance_name: "vscode-0",
  network_mode: "host",
};

interface CloudConfig {
  users: { name: string; ssh_authorized_keys: string[] }[];
  write_files: { path: string; encoding?: string; content: string }[];
  runcmd: string[][];
}

describe("cloud-init user data", () => {
  const text = renderUserData({
    agentSource,
    agentConfig: config,
    sshAuthorizedKeys: [key],
    instanceName: "vscode-0",
  });
  const doc = parse(text) as CloudConfig;

  it("is a #cloud-config carrying the agent gzip+base64, byte for byte", () => {
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const agent = doc.write_files.find((f) => f.path === "/opt/dstack/dstack-agent.js");
    expect(agent?.encoding).toBe("gz+b64");
    expect(gunzipSync(Buffer.from(agent!.content, "base64")).toString("utf8")).toBe(agentSource);
  });

  it("carries the agent config as JSON and the SSH key for root", () => {
    const file = doc.write_files.find((f) => f.path === "/etc/dstack/agent.json");
    expect(JSON.parse(file!.content)).toEqual(config);
    expect(doc.users[0]).toMatchObject({ name: "root", ssh_authorized_keys: [key] });
  });

  it("starts the agent detached and restarted, with systemd or without", () => {
    const start = doc.runcmd.map((c) => c.join(" ")).join("\n");
    expect(start).toContain("systemctl enable --now dstack-agent");
    expect(start).toMatch(
      /setsid \/opt\/dstack\/supervise\.sh >>\/var\/log\/dstack-agent\.log 2>&1 <\/dev\/null &/,
    );
  });

  it("gets Node >= 18 and a Docker engine on images that lack them, with a valid shell script", () => {
    const script = doc.write_files.find((f) => f.path === "/opt/dstack/ensure-node.sh")?.content ?? "";
    expect(script).toMatch(/-ge 18/);
    // The download is checked against nodejs.org's published SHA-256 sums before use.
    expect(script).toMatch(/SHASUMS256\.txt \| grep " \$F\\\$" \| sha256sum -c -/);
    expect(execFileSync("sh", ["-n"], { input: script }).toString()).toBe("");
    const start = doc.runcmd.map((c) => c.join(" ")).join("\n");
    expect(start).toContain("sh /opt/dstack/ensure-node.sh");
    expect(start).toMatch(/docker\.sock \] \|\| command -v docker .*apt-get install -y -q docker\.io/);
  });

  it("fits every cloud's limit in the form that cloud gets it", () => {
    // AWS caps raw user data at 16 KB; its stack sends the document gzipped (stacks/aws/user-data.ts),
    // and the raw form of a base64 upload is the gzip bytes. Azure caps customData at 64 KB of base64;
    // GCP a metadata value at 256 KB.
    expect(Buffer.from(gzipBase64(text), "base64").length).toBeLessThanOrEqual(AWS_USER_DATA_LIMIT);
    expect(Buffer.from(text, "utf8").toString("base64").length).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(256 * 1024);
  });

  it("refuses anything that is not a public key", () => {
    expect(() =>
      renderUserData({
        agentSource,
        agentConfig: config,
        sshAuthorizedKeys: ["-----BEGIN OPENSSH PRIVATE KEY-----"],
        instanceName: "x",
      }),
    ).toThrow(/not an OpenSSH public key/);
  });
});
