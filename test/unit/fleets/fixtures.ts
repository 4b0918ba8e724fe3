// Fleet specs compiled from YAML, as `apply` gets them, for the pure fleet tests.
import { compile } from "../../../src/compiler/compile.js";
import type { FleetSpec } from "../../../src/compiler/spec.js";
import type { FleetRecord } from "../../../src/fleets/store.js";

export function fleetSpec(yaml: string): FleetSpec {
  const result = compile({ file: "fleet.dstack.yml", text: `type: fleet\n${yaml}`, noProfile: true });
  if (result.spec?.type !== "fleet")
    throw new Error(`not a fleet: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.spec;
}

export function fleetRecord(over: Partial<FleetRecord> = {}): FleetRecord {
  return {
    name: "gpus",
    status: "provisioned",
    backend: "aws",
    region: "us-east-1",
    zone: "use1-az4",
    instance_type: "t3.large",
    spot: false,
    price: 0.0832,
    resources: "cpu=2.. mem=8GB.. disk=100GB..",
    nodes: { min: 2, target: 2, max: 2 },
    placement: "cluster",
    instances: [
      {
        name: "gpus-0",
        id: "i-1",
        zone: "us-east-1d",
        public_ip: "203.0.113.7",
        private_ip: "10.0.48.6",
        ssh_user: "ubuntu",
        spot: false,
      },
      {
        name: "gpus-1",
        id: "i-2",
        zone: "us-east-1d",
        public_ip: "203.0.113.8",
        private_ip: "10.0.48.7",
        ssh_user: "ubuntu",
        spot: false,
      },
    ],
    stack: { project: "dstack-main-aws-gpus", stack: "fleet", backend_url: "file:///tmp/state" },
    config_file: "fleet.dstack.yml",
    created_at: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}
