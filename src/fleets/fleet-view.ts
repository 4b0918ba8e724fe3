// How a fleet shows in `ps` and `--json` (pure: whether its creator still runs is passed in). Only what
// is known is said: the stack's outputs (instances, zones, addresses), not an agent's state, which a
// cloud instance's agent cannot report to this machine.
import { roundUsd } from "../catalog/cost.js";
import { formatCost, formatPrice } from "../text-table.js";
import type { FleetCost } from "./fleet-cost.js";
import type { ProcessStamp } from "../process-identity.js";
import { pendingFleetText } from "./pending-fleet.js";
import type { FleetRecord } from "./store.js";

export type FleetStatus = "provisioned" | "provisioning" | "interrupted" | "pending" | "failed";

/**
 * A `provisioning` fleet whose creator is gone was interrupted mid-update (SIGKILL, crash). A pending
 * fleet whose background process died waits for nothing any more: failed. `alive` is whether the
 * creator (provisioning) or the retrying process (pending) still runs.
 */
export function fleetStatus(fleet: FleetRecord, alive: boolean): FleetStatus {
  // Instances a refresh found gone from the cloud (ps --refresh): the fleet is no longer what it was.
  if (fleet.status === "provisioned") return (fleet.gone ?? []).length > 0 ? "interrupted" : "provisioned";
  if (fleet.status === "failed") return fleet.status;
  if (fleet.status === "pending") return alive || fleet.retrying?.process === null ? "pending" : "failed";
  // An attempt of the background retrying process (the record carries `retrying`): still pending.
  if (fleet.retrying !== undefined && alive) return "pending";
  return alive ? "provisioning" : "interrupted";
}

/** The process whose life decides the status: the creator of an attempt, or the retrying process. */
export function fleetProcess(fleet: FleetRecord): ProcessStamp | undefined {
  return fleet.status === "pending" ? (fleet.retrying?.process ?? undefined) : fleet.creator;
}

export function fleetStatusText(fleet: FleetRecord, status: FleetStatus, now = Date.now()): string {
  switch (status) {
    case "pending":
    case "failed":
      return pendingFleetText(fleet, status === "pending", now);
    case "provisioned": {
      const ips = fleet.instances.map((i) => i.public_ip).filter((ip) => ip !== "");
      return ips.length === 0 ? "provisioned" : `provisioned (${ips.join(", ")})`;
    }
    case "provisioning":
      return "provisioning";
    case "interrupted": {
      const gone = fleet.gone ?? [];
      if (gone.length === 0)
        return `interrupted (dstack was stopped mid-create; dstack delete ${fleet.name} cleans up)`;
      return `interrupted (${gone.length} of ${fleet.instances.length} instance${fleet.instances.length === 1 ? "" : "s"} gone from the cloud: ${gone.join(", ")}; dstack delete ${fleet.name} cleans up)`;
    }
  }
}

/** `us-east-1/use1-az4`, or the region alone when the cloud picked the zone. */
export function fleetWhere(fleet: FleetRecord): string {
  const zones = [...new Set(fleet.instances.map((i) => i.zone).filter((z) => z !== ""))];
  const zone = zones.length > 0 ? zones.join(",") : fleet.zone;
  return zone === null ? fleet.region : `${fleet.region}/${zone}`;
}

/** `cost`: of the instances it holds (fleet-cost.ts); null or absent: none, or not known here. */
export function fleetRow(fleet: FleetRecord, status: FleetStatus, cost: FleetCost | null = null): string[] {
  const target = fleet.nodes.target;
  return [
    fleet.name,
    fleet.backend,
    fleetWhere(fleet),
    fleet.instance_type,
    fleet.spot ? "spot" : "on-demand",
    formatPrice(fleet.price),
    formatCost(cost?.accrued ?? null),
    `${fleet.instances.length}/${target}`,
    fleetStatusText(fleet, status),
  ];
}

export const FLEET_COLUMNS = [
  "NAME",
  "BACKEND",
  "REGION/ZONE",
  "INSTANCE",
  "SPOT",
  "PRICE/H",
  "COST",
  "NODES",
  "STATUS",
];

export function fleetJson(
  fleet: FleetRecord,
  status: FleetStatus,
  cost: FleetCost | null = null,
): Record<string, unknown> {
  return {
    name: fleet.name,
    status,
    backend: fleet.backend,
    region: fleet.region,
    zone: fleet.zone,
    instance_type: fleet.instance_type,
    spot: fleet.spot,
    price: fleet.price,
    // Every instance it holds together: offers plus root volumes, per hour and since created.
    price_hourly: cost === null ? null : roundUsd(cost.hourly),
    cost_accrued: cost === null ? null : roundUsd(cost.accrued),
    resources: fleet.resources,
    nodes: fleet.nodes,
    placement: fleet.placement,
    instances: fleet.instances,
    stack: fleet.stack,
    config_file: fleet.config_file,
    created_at: fleet.created_at,
    gone: fleet.gone ?? [],
    checked_at: fleet.checked_at ?? null,
    ...(fleet.retrying === undefined
      ? {}
      : {
          retrying: {
            reason: fleet.retrying.reason,
            attempts: fleet.retrying.attempts,
            pass: fleet.retrying.pass,
            next_try_at: fleet.retrying.next_try_at,
            trying: fleet.retrying.trying,
            pid: fleet.retrying.process?.pid ?? null,
            log_file: fleet.retrying.log_file,
            message: fleet.retrying.message ?? null,
          },
        }),
  };
}
