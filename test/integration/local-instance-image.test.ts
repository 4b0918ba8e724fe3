// The local backend's instance image, for real: a container boots real cloud-init from a NoCloud seed
// (the same kind of user data a cloud VM gets) and then serves real SSH with the key from that user data.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateKeyPair } from "../../src/ssh/keys.js";
import {
  containersWithLabel,
  docker,
  localImages,
  removeContainersWithLabel,
  requireDockerImages,
  tryDocker,
} from "./docker.js";
import { until } from "../until.js";

const { Client } = ssh2;

const LABEL = `dstack.test=local-instance-image-${process.pid}-${Date.now()}`;
const USER = "dstack";
const AGENT_PATH = "/opt/dstack/agent.js";
const AGENT_TEXT = `// stands in for the bundled runtime agent\nconsole.log("agent ${"x".repeat(2000)}");\n`;
const MARKER = "/var/lib/dstack-test/marker";

interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One SSH connection, one command, then disconnect. */
function sshExec(
  port: number,
  auth: { privateKey: string } | { password: string },
  command: string,
): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on("ready", () => {
        client.exec(command, (error, stream) => {
          if (error) {
            client.end();
            reject(error);
            return;
          }
          let stdout = "";
          let stderr = "";
          stream.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
          stream.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          stream.on("close", (code: number | null) => {
            client.end();
            resolve({ code, stdout, stderr });
          });
        });
      })
      .on("error", reject)
      .connect({ host: "127.0.0.1", port, username: USER, readyTimeout: 10_000, ...auth });
  });
}

function userData(publicKey: string): string {
  const config = {
    users: [
      {
        name: USER,
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [publicKey],
      },
    ],
    write_files: [
      {
        path: AGENT_PATH,
        encoding: "gz+b64",
        content: gzipSync(AGENT_TEXT).toString("base64"),
        permissions: "0755",
      },
      { path: "/etc/dstack/plain.txt", content: "plain text\n" },
    ],
    runcmd: [["sh", "-c", `mkdir -p $(dirname ${MARKER}) && echo ok > ${MARKER}`]],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}

describe("local instance image (real Docker, cloud-init and sshd)", () => {
  const images = localImages();
  const keys = generateKeyPair();
  let seed = "";
  let id = "";
  let startedAt = 0;
  // A missing engine or image must fail every test (not skip them), with the set-up hint.
  let setupError: Error | undefined;
  const container = (): string => {
    if (setupError !== undefined) throw setupError;
    return id;
  };

  beforeAll(() => {
    try {
      start();
    } catch (error) {
      setupError = error instanceof Error ? error : new Error(String(error));
    }
  });

  function start(): void {
    requireDockerImages(images.instance);
    seed = mkdtempSync(join(tmpdir(), "dstack-nocloud-"));
    writeFileSync(join(seed, "user-data"), userData(keys.public));
    writeFileSync(join(seed, "meta-data"), "instance-id: i-dstack-test\nlocal-hostname: dstack-test\n");
    startedAt = Date.now();
    id = docker([
      "run",
      "-d",
      "--label",
      LABEL,
      "--hostname",
      "dstack-test",
      "-v",
      `${seed}:/var/lib/cloud/seed/nocloud:ro`,
      "-p",
      "127.0.0.1::22",
      images.instance,
    ]);
  }

  afterAll(() => {
    if (seed !== "") rmSync(seed, { recursive: true, force: true });
    // Also when `docker run` failed half-way: it may have created the container without starting it.
    if (seed !== "") removeContainersWithLabel(LABEL);
  });

  it("runs the user data: runcmd and write_files (gz+b64)", async () => {
    const id = container();
    await until(
      `${MARKER} in the container (docker logs: ${id.slice(0, 12)})`,
      () => (tryDocker(["exec", id, "cat", MARKER]).stdout.trim() === "ok" ? true : undefined),
      90_000,
      { intervalMs: 500, retryErrors: true },
    );
    expect(docker(["exec", id, "cat", AGENT_PATH])).toBe(AGENT_TEXT.replace(/\n$/, ""));
    expect(docker(["exec", id, "stat", "-c", "%a", AGENT_PATH])).toBe("755");
    expect(docker(["exec", id, "cat", "/etc/dstack/plain.txt"])).toBe("plain text");
  }, 120_000);

  it("serves SSH with the key from the user data, and cloud-init finished cleanly", async () => {
    const id = container();
    const port = Number(docker(["port", id, "22/tcp"]).split("\n")[0]?.split(":").pop());
    expect(port).toBeGreaterThan(0);
    const result = await until(
      "sshd to accept the key",
      () =>
        sshExec(
          port,
          { privateKey: keys.private },
          "cat /var/lib/cloud/instance/boot-finished && sudo -n cloud-init status --long && hostname && id -un",
        ),
      60_000,
      { intervalMs: 500, retryErrors: true },
    );
    process.stderr.write(`[local-instance-image] docker run to ssh-ready: ${Date.now() - startedAt} ms\n`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/status: done/);
    expect(result.stdout).toMatch(/\ndstack-test\ndstack\n$/);
    await expect(sshExec(port, { password: "dstack" }, "true")).rejects.toThrow(/authentication/i);
  }, 90_000);

  it("stops on SIGTERM (not by the SIGKILL after the grace period) and leaves nothing behind", () => {
    const id = container();
    docker(["stop", "-t", "10", id]);
    // Its init handled the SIGTERM and exited 0; a SIGKILL after the 10 s would have left 137.
    expect(docker(["inspect", "--format", "{{.State.ExitCode}}", id])).toBe("0");
    expect(tryDocker(["logs", id]).stdout).toContain("dstack-instance-init: stopping");
    docker(["rm", "-v", id]);
    expect(containersWithLabel(LABEL)).toEqual([]);
  }, 30_000);
});
