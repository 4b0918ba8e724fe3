// dstack's Pulumi state in an S3 backend, against the real S3-compatible server `scripts/ensure-s3` runs
// on 127.0.0.1 (MinIO). Two "machines" (separate HOME and PULUMI_HOME, a fresh LocalWorkspace each, the
// same backend URL and passphrase) share one stack: A creates it; B sees the same outputs and a no-change
// plan, then destroys it; A then sees nothing left. The state object in the bucket holds neither the
// passphrase nor the secret config value in plain text.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { destroy, outputs, preview, up, type StackTarget } from "../../src/engine/stack-runner.js";
import { resolveStateBackend } from "../../src/engine/state-backend.js";
import { requirePulumi } from "./pulumi-path.js";
import { createBucket, getObject, listKeys, removeBucket, requireS3, type S3Server } from "./s3.js";

const PROJECT = "dstack-s3-it";
const run = `${Date.now().toString(36)}-${process.pid}`;
const BUCKET = `dstack-it-${run}`;
const STACK = `s3-${run}`;
const PASSPHRASE = `passphrase-${run}-Xq7`;
const TOKEN = `token-${run}-sEcReT`;

const tmp = mkdtempSync(join(tmpdir(), "dstack-s3-state-"));

// A trivial dynamic provider: create echoes its inputs.
const provider: pulumi.dynamic.ResourceProvider = {
  create: (inputs: { label: string }) => Promise.resolve({ id: "marker-1", outs: { label: inputs.label } }),
};

class Marker extends pulumi.dynamic.Resource {
  declare readonly label: pulumi.Output<string>;
  constructor(name: string, label: string) {
    super(provider, name, { label });
  }
}

const program = (): Promise<Record<string, unknown>> => {
  const token = new pulumi.Config("dstack").requireSecret("token");
  const marker = new Marker("marker", "in-s3");
  return Promise.resolve({ answer: 42, label: marker.label, token });
};

/**
 * The S3 backend URL. Pulumi 3.248's gocloud.dev (v0.46, AWS SDK v2) accepts `endpoint` (with a scheme),
 * `region`, `use_path_style` (or the legacy `s3ForcePathStyle`) and `disable_https`; Pulumi itself rewrites
 * the SDK v1 spelling used here (`disableSSL=true`, scheme-less `endpoint`) to those before opening it.
 */
const backendUrl = (s3: S3Server): string =>
  `s3://${BUCKET}?endpoint=${s3.host}&disableSSL=true&s3ForcePathStyle=true&region=${s3.region}`;

/** One "machine": its own HOME, Pulumi home and dstack home; the same backend URL and passphrase. */
function machine(name: string, s3: S3Server, binDir: string): StackTarget {
  const home = join(tmp, name);
  return {
    project: PROJECT,
    stack: STACK,
    program,
    backend: resolveStateBackend({
      home,
      env: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
      backendUrl: backendUrl(s3),
    }),
    pulumiBinDir: binDir,
    config: { "dstack:token": { value: TOKEN, secret: true } },
    env: {
      HOME: home,
      PULUMI_HOME: join(home, ".pulumi"),
      // The AWS SDK's default chain reads the credentials from the environment.
      AWS_ACCESS_KEY_ID: s3.accessKey,
      AWS_SECRET_ACCESS_KEY: s3.secretKey,
      AWS_EC2_METADATA_DISABLED: "true",
    },
  };
}

interface Checkpoint {
  checkpoint?: { latest?: { resources?: { type: string }[]; secrets_providers?: { type?: string } } };
}

/** The stack's state object, read back from the bucket with a plain GET. */
async function stateObject(s3: S3Server): Promise<{ key: string; text: string; json: Checkpoint }> {
  const keys = (await listKeys(s3, BUCKET)).filter(
    (k) => k.startsWith(".pulumi/stacks/") && k.endsWith(`/${STACK}.json`),
  );
  expect(keys).toHaveLength(1);
  const key = keys[0]!;
  const text = (await getObject(s3, BUCKET, key)).toString("utf8");
  return { key, text, json: JSON.parse(text) as Checkpoint };
}

describe("Pulumi state in a real S3 backend (MinIO on 127.0.0.1)", () => {
  let s3: S3Server | undefined;
  let cleanup: StackTarget | undefined;

  afterAll(async () => {
    if (cleanup !== undefined) await destroy(cleanup, { remove: true }).catch(() => undefined);
    if (s3 !== undefined) await removeBucket(s3, BUCKET).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it("up on one machine; outputs, a no-change preview and destroy from another", async () => {
    s3 = await requireS3();
    const cli = requirePulumi();
    await createBucket(s3, BUCKET);
    const a = machine("machine-a", s3, cli.binDir);
    const b = machine("machine-b", s3, cli.binDir);
    cleanup = a;

    // Machine A creates the stack.
    const plan = await preview(a);
    expect(plan.steps.map((s) => [s.op, s.name, s.type])).toEqual([
      ["create", "marker", "pulumi-nodejs:dynamic:Resource"],
    ]);
    const created = await up(a);
    expect(created.outputs).toEqual({ answer: 42, label: "in-s3", token: TOKEN });

    // The state lives in the bucket, with the secret encrypted by the passphrase provider.
    const state = await stateObject(s3);
    expect(state.key).toBe(`.pulumi/stacks/${PROJECT}/${STACK}.json`);
    expect(state.json.checkpoint?.latest?.secrets_providers?.type).toBe("passphrase");
    expect(state.json.checkpoint?.latest?.resources?.map((r) => r.type)).toContain(
      "pulumi-nodejs:dynamic:Resource",
    );
    expect(state.text).toContain("ciphertext");
    expect(state.text).not.toContain(TOKEN);
    expect(state.text).not.toContain(PASSPHRASE);
    // Nor does any other object the backend wrote (history, backups, meta).
    for (const key of await listKeys(s3, BUCKET)) {
      const text = (await getObject(s3, BUCKET, key)).toString("utf8");
      expect(text, key).not.toContain(TOKEN);
      expect(text, key).not.toContain(PASSPHRASE);
    }

    // Machine B, with nothing local but the backend URL and passphrase, sees the same stack.
    expect(await outputs(b)).toEqual({ answer: 42, label: "in-s3", token: TOKEN });
    const again = await preview(b);
    expect(again.steps).toEqual([]);
    expect(again.unchanged).toBe(1);

    // Machine B tears it down; machine A sees nothing left.
    await destroy(b);
    expect(await outputs(a)).toEqual({});
    expect((await stateObject(s3)).json.checkpoint?.latest?.resources ?? []).toEqual([]);
    expect((await preview(a)).steps.map((s) => s.op)).toEqual(["create"]);
  }, 300_000);
});
