// The real Pulumi engine through the Automation API: an inline program on a file backend, with a
// dynamic-provider resource (needs `pulumi-resource-pulumi-nodejs` found through pulumiEnv), up then destroy.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { pulumiEnv, pulumiRoot } from "../../src/engine/pulumi-cli.js";
import { requirePulumi } from "./pulumi-path.js";

const tmp = mkdtempSync(join(tmpdir(), "dstack-pulumi-engine-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A trivial dynamic provider: create returns an id and echoes its input, plus its length, as outputs.
const provider: pulumi.dynamic.ResourceProvider = {
  create: (inputs: { greeting: string }) =>
    Promise.resolve({ id: "hello-1", outs: { greeting: inputs.greeting, length: inputs.greeting.length } }),
};

class Hello extends pulumi.dynamic.Resource {
  declare readonly greeting: pulumi.Output<string>;
  declare readonly length: pulumi.Output<number>;

  constructor(name: string, greeting: string) {
    super(provider, name, { greeting, length: undefined });
  }
}

describe("Pulumi engine (real CLI)", () => {
  it("the CLI reports exactly the pinned @pulumi/pulumi version", () => {
    const cli = requirePulumi();
    const out = execFileSync(join(cli.binDir, "pulumi"), ["version"], {
      encoding: "utf8",
      env: { ...process.env, ...pulumiEnv(cli.binDir) },
    });
    expect(out.trim()).toBe(`v${cli.version}`);
  });

  it("runs an inline program with a dynamic resource: up, then destroy", async () => {
    const cli = requirePulumi();
    const { LocalWorkspace, PulumiCommand } = pulumi.automation;
    const program = (): Promise<Record<string, unknown>> => {
      const res = new Hello("hello", "hi");
      return Promise.resolve({ answer: 42, greeting: res.greeting, length: res.length });
    };

    const state = join(tmp, "state");
    mkdirSync(state); // the file backend needs an existing folder
    const root = pulumiRoot(cli.binDir);
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "smoke", projectName: "dstack-smoke", program },
      {
        pulumiCommand: await PulumiCommand.get(root === undefined ? {} : { root }),
        pulumiHome: join(tmp, "home"),
        envVars: {
          ...pulumiEnv(cli.binDir),
          PULUMI_BACKEND_URL: `file://${state}`,
          PULUMI_CONFIG_PASSPHRASE: "test",
        },
      },
    );

    // Run from a folder without node_modules, as `dstack` does from a user's repository: the engine
    // starts the dynamic-provider plugin there, and only pulumiEnv's NODE_PATH lets it find its code.
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.outputs.answer?.value).toBe(42);
      expect(up.outputs.greeting?.value).toBe("hi");
      expect(up.outputs.length?.value).toBe(2);
      expect(up.summary.resourceChanges?.create).toBe(2); // the stack and the dynamic resource

      const down = await stack.destroy();
      expect(down.summary.result).toBe("succeeded");
      expect(down.summary.resourceChanges?.delete).toBe(2);
    } finally {
      process.chdir(cwd);
    }
  }, 180_000);
});
