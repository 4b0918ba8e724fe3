// How Compute Engine schedules an instance: spot or on-demand, what happens on host maintenance, and
// which reservation it consumes.
import type * as inputs from "@pulumi/gcp/types/input.js";
import type { PoolInstanceSpec } from "../pool-spec.js";
import { hasGpus } from "./machine.js";

type Scheduling = inputs.compute.InstanceScheduling;
type ReservationAffinity = inputs.compute.InstanceReservationAffinity;

export function instanceScheduling(instance: PoolInstanceSpec): Scheduling | undefined {
  if (instance.spot) {
    // Spot VMs cannot live-migrate nor restart: GCP requires TERMINATE and no automatic restart.
    // DELETE (not STOP) on preemption: a stopped spot VM keeps its disk billed and its name taken,
    // while dstack replaces an interrupted instance anyway. Attached volumes are not auto-deleted.
    // GCP spot has no maximum price (the price is GCP's, adjusted at most monthly): max_price is
    // ignored here, and the pool warns about it (see maxPriceWarning).
    return {
      provisioningModel: "SPOT",
      preemptible: true,
      automaticRestart: false,
      onHostMaintenance: "TERMINATE",
      instanceTerminationAction: "DELETE",
    };
  }
  // GPUs cannot live-migrate: maintenance stops the VM, and it comes back by itself afterwards.
  if (hasGpus(instance)) return { onHostMaintenance: "TERMINATE", automaticRestart: true };
  return undefined;
}

export function reservationAffinity(instance: PoolInstanceSpec): ReservationAffinity | undefined {
  if (instance.reservation === null) return undefined;
  return {
    type: "SPECIFIC_RESERVATION",
    specificReservation: { key: "compute.googleapis.com/reservation-name", values: [instance.reservation] },
  };
}

/** The warning a spec with max_price gets on GCP, or null when there is nothing to say. */
export function maxPriceWarning(instance: PoolInstanceSpec): string | null {
  if (instance.max_price === null) return null;
  return (
    `instance ${instance.name}: max_price ${instance.max_price} is ignored on GCP, whose Spot VMs have ` +
    `no maximum price (they are charged GCP's current spot price)`
  );
}

/**
 * A TPU VM's scheduling: Spot (the current model; the older "preemptible" TPUs are capped at 24 hours)
 * or a reservation. TPU VMs cannot name a reservation: `reserved` consumes any matching reservation of
 * the project, so the reservation's name only selects that path.
 */
export function tpuSchedulingConfig(instance: PoolInstanceSpec): inputs.tpu.V2VmSchedulingConfig | undefined {
  if (instance.spot) return { spot: true };
  if (instance.reservation !== null) return { reserved: true };
  return undefined;
}
