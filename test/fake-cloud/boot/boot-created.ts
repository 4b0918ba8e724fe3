// The boot half of an instance create with booting on. Before the create: the image must be there.
// After its record is stored: start the container and wait for cloud-init; when that fails, undo the
// create (record, address, container, folders), since the engine then records no resource.
import { CloudError, type BootSpec } from "../core/kind.js";
import type { CloudName, Store } from "../core/store.js";
import { bootContainer, requireImage } from "./container.js";
import { releaseAddresses } from "./loopback.js";
import type { BootOptions } from "./options.js";

export interface CreatedInstance {
  id: string;
  serial: number;
  container: string;
  spec: BootSpec;
  /** Its public address, or null when it has none. */
  address: string | null;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function imageReady(options: BootOptions, prefix: string, signal: AbortSignal): Promise<void> {
  await requireImage(options.image, signal).catch((error: unknown) => {
    throw new CloudError(`${prefix}: ${message(error)}`, { cause: error });
  });
}

export async function bootCreated(
  store: Store,
  cloud: CloudName,
  created: CreatedInstance,
  options: BootOptions,
  prefix: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await bootContainer({ ...created, storeDir: store.dir, cloud, options }, signal);
  } catch (error) {
    store.transact((data) => {
      delete data.clouds[cloud].resources[created.id];
      releaseAddresses(data, store.dir, [created.id]);
    });
    throw new CloudError(`${prefix}: instance ${created.id} did not boot: ${message(error)}`, {
      cause: error,
    });
  }
}
