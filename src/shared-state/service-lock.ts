// A lock between dstack processes on a Pulumi service (a pool's, while its stack is updated): an update
// of the stack `dstack-locks/<name>` held open, which the service's own lock makes exclusive. Its
// checkpoint says who holds it (a process stamp); the lease is renewed while held. A holder that is
// certainly dead (this host, pid gone) is cancelled and the lock taken over; any other holder waits, and
// a killed dstack on another host leaves it to `pulumi cancel`, as the service's locks always are.
import { ownStamp, stampAlive, type ProcessStamp } from "../process-identity.js";
import { serviceCall, type ServiceLocation } from "./service-api.js";
import {
  recordDeployment,
  recordOf,
  StackBusy,
  startLockedUpdate,
  type LockedUpdate,
} from "./service-record-store.js";

const PROJECT = "dstack-locks";
const RENEW_EVERY_MS = 60_000;
const LEASE_SECONDS = 300;

const held = new Map<string, { update: LockedUpdate; renew: NodeJS.Timeout }>();

function tryTake(location: ServiceLocation, name: string): boolean {
  let update: LockedUpdate;
  try {
    update = startLockedUpdate(location, PROJECT, name, `dstack lock ${name}`, 1);
  } catch (error) {
    if (error instanceof StackBusy) return false;
    throw error;
  }
  update.checkpoint(recordDeployment(PROJECT, name, JSON.stringify(ownStamp())));
  const renew = setInterval(() => {
    try {
      update.renew(LEASE_SECONDS);
    } catch {
      // the next renewal tries again; the release completes it either way
    }
  }, RENEW_EVERY_MS);
  renew.unref();
  held.set(`${location.url} ${location.org} ${name}`, { update, renew });
  return true;
}

/** Cancels the lock's update when its holder is certainly dead; whether it did. */
function cancelDeadHolder(location: ServiceLocation, name: string): boolean {
  const path = `/api/stacks/${location.org}/${PROJECT}/${name}`;
  const exported = serviceCall(location, "GET", `${path}/export`);
  let stamp: ProcessStamp | undefined;
  try {
    stamp = JSON.parse(recordOf(exported.json) ?? "") as ProcessStamp;
  } catch {
    return false;
  }
  if (stampAlive(stamp)) return false;
  const stack = serviceCall(location, "GET", path);
  const active = (stack.json as { activeUpdate?: string } | null)?.activeUpdate;
  if (active === undefined || active === "") return false;
  return serviceCall(location, "POST", `${path}/update/${active}/cancel`).status === 204;
}

export function takeServiceLock(location: ServiceLocation, name: string): boolean {
  if (tryTake(location, name)) return true;
  return cancelDeadHolder(location, name) && tryTake(location, name);
}

export function releaseServiceLock(location: ServiceLocation, name: string): void {
  const key = `${location.url} ${location.org} ${name}`;
  const lock = held.get(key);
  if (lock === undefined) return;
  held.delete(key);
  clearInterval(lock.renew);
  lock.update.complete("succeeded");
}
