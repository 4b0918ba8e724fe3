// Inbound rules of the pool's network security group, as plain data: SSH plus every declared port, TCP
// from anywhere. Inline in the NSG (not separate SecurityRule resources) so that adding a port is one
// in-place update of the NSG and nothing is replaced.
import { UserError } from "../../errors.js";

export interface SecurityRule {
  name: string;
  priority: number;
  direction: "Inbound";
  access: "Allow";
  protocol: "Tcp";
  sourceAddressPrefix: string;
  sourcePortRange: string;
  destinationAddressPrefix: string;
  destinationPortRange: string;
}

export const SSH_PORT = 22;
const FIRST_PRIORITY = 100;
const PRIORITY_STEP = 10;
/** Azure's lowest priority: rules must sit in 100..4096. */
const LAST_PRIORITY = 4096;

export function inboundRules(ports: readonly number[]): SecurityRule[] {
  // Sorted and de-duplicated, so the same set of ports always yields the same rules (no spurious diff).
  const extra = [...new Set(ports)].filter((p) => p !== SSH_PORT).sort((a, b) => a - b);
  for (const port of extra) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UserError("azure-port", `port ${port} is not a TCP port (1-65535)`);
  }
  const all = [SSH_PORT, ...extra];
  const last = FIRST_PRIORITY + PRIORITY_STEP * (all.length - 1);
  if (last > LAST_PRIORITY)
    throw new UserError("azure-ports", `${extra.length} ports do not fit in one Azure security group`);
  return all.map((port, i) => ({
    name: port === SSH_PORT ? "dstack-ssh" : `dstack-tcp-${port}`,
    priority: FIRST_PRIORITY + PRIORITY_STEP * i,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: String(port),
  }));
}
