// Azure pools and the project's registry (issue 14): with a registry identity, every VM carries the
// user-assigned managed identity (a list of ARM ids, as azure-native 3.x takes it); without one, no
// identity block at all (no diff for the stacks that exist).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as PoolModule from "../../../src/stacks/azure/pool.js";
import { instanceSpec, mocks, poolSpec, registrations, settle } from "./azure-fixtures.js";

let azurePool: typeof PoolModule.azurePool;
beforeAll(async () => {
  await pulumi.runtime.setMocks(mocks, "proj", "stack", false);
  ({ azurePool } = await import("../../../src/stacks/azure/pool.js"));
});

const VM = "azure-native:compute:VirtualMachine";
const IDENTITY =
  "/subscriptions/sub/resourceGroups/dstack-team-registry-eastus/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dstack-team-instances";

async function vms(registry: boolean): Promise<Record<string, unknown>[]> {
  const spec = poolSpec(registry ? "with-registry" : "without-registry", {
    instances: [instanceSpec(), instanceSpec({ name: "gpu-1" })],
    ...(registry ? { registry: { azure_identity_id: IDENTITY } } : {}),
  });
  const start = registrations.length;
  await settle(azurePool(spec, { agentSource: "console.log('agent');" }));
  return registrations
    .slice(start)
    .filter((r) => r.type === VM)
    .map((r) => r.inputs);
}

describe("Azure VMs and the registry's managed identity", () => {
  it("every VM carries the user-assigned identity", async () => {
    const found = await vms(true);
    expect(found).toHaveLength(2);
    for (const vm of found)
      expect(vm.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [IDENTITY] });
  });

  it("without a registry no VM has an identity key", async () => {
    for (const vm of await vms(false)) expect(Object.keys(vm)).not.toContain("identity");
  });
});
