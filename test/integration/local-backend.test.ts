// The spine of the local backend through real components: the Pulumi engine (Automation API, inline
// program, file backend) creates a LocalInstance (a dynamic provider), the instance boots the real user
// data with real cloud-init, the agent starts, and the CLI side reaches it over real SSH (ssh2) through a
// tunnel. Destroy leaves no container and no folder behind.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateKeyPair } from "../../src/ssh/keys.js";
import type { Client } from "ssh2";
import { afterAll, describe, expect, it } from "vitest";
import { destroy, preview, up, type StackTarget } from "../../src/engine/stack-runner.js";
import { resolveStateBackend } from "../../src/engine/state-backend.js";
import { agentRequest } from "../../src/ssh/agent-client.js";
import { connectSsh, exec } from "../../src/ssh/connect.js";
import { AGENT_PORT } from "../../src/stacks/local/agent-config.js";
import { localPoolProgram } from "../../src/stacks/local/program.js";
import { containersWithLabel, localImages, requireDockerImages } from "./docker.js";
import { until } from "../until.js";
import { requirePulumi } from "./pulumi-path.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("local backend through the Pulumi engine", () => {
  const name = `it-${Date.now().toString(36)}`;
  const home = mkdtempSync(join(tmpdir(), "dstack-local-"));
  const keys = generateKeyPair();
  let target: StackTarget | undefined;
  let client: Client | undefined;

  afterAll(async () => {
    client?.end();
    if (target !== undefined) await destroy(target, { remove: true }).catch(() => undefined);
  }, 120_000);

  it("previews, creates, serves the agent over SSH, and destroys cleanly", async () => {
    const pulumi = requirePulumi();
    const images = localImages();
    requireDockerImages(images.instance);
    const root = join(home, "instances");
    target = {
      project: "dstack-it",
      stack: name,
      backend: resolveStateBackend({ home, env: {} }),
      pulumiBinDir: pulumi.binDir,
      program: localPoolProgram({
        instances: [{ name }],
        image: images.instance,
        root,
        opsScript: join(ROOT, "dist", "local-instance-ops.js"),
        agentSource: readFileSync(join(ROOT, "dist", "agent", "dstack-agent.js"), "utf8"),
        sshAuthorizedKeys: [keys.public],
      }),
    };

    const plan = await preview(target);
    expect(plan.steps.map((s) => [s.op, s.name, s.type])).toEqual([
      ["create", name, "pulumi-nodejs:dynamic:Resource"],
    ]);

    const result = await up(target);
    const [instance] = result.outputs.instances as { name: string; sshPort: number }[];
    expect(instance?.sshPort).toBeGreaterThan(0);

    client = await connectSsh({
      host: "127.0.0.1",
      port: instance!.sshPort,
      username: "root",
      privateKey: keys.private,
    });
    expect((await exec(client, "cat /var/lib/cloud/instance/boot-finished")).code).toBe(0);
    const ssh = client;
    const health = await until(
      "the agent to answer /api/health",
      async () => {
        const h = await agentRequest(ssh, AGENT_PORT, "GET", "/api/health").catch(() => undefined);
        return h?.status === 200 ? h : undefined;
      },
      60_000,
      { intervalMs: 250 },
    );
    expect(health).toMatchObject({ status: 200, body: { api_version: expect.any(String) as string } });

    expect((await preview(target)).steps).toEqual([]);

    client.end();
    client = undefined;
    await destroy(target, { remove: true });
    target = undefined;
    expect(containersWithLabel(`dstack.instance=${name}`)).toEqual([]);
    expect(existsSync(join(root, name))).toBe(false);
  }, 240_000);
});
