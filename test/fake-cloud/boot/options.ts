// Whether instance creates boot containers, and with what: read once from the plugin's environment
// (the engine's, which the CLI passes on). Off unless DSTACK_FAKE_CLOUD_BOOT=1, so tests that only need
// records stay fast and need no Docker.
import { createHash } from "node:crypto";
import { resolve } from "node:path";

export const BOOT_ENV = "DSTACK_FAKE_CLOUD_BOOT";
export const IMAGE_ENV = "DSTACK_FAKE_CLOUD_IMAGE";
export const BOOT_TIMEOUT_ENV = "DSTACK_FAKE_CLOUD_BOOT_TIMEOUT";
const DEFAULT_TIMEOUT_S = 300;

export interface BootOptions {
  /** The local instance image (dstack/local-instance:<version>); install.ts writes it into the plugin scripts. */
  image: string;
  /** How long a create waits for cloud-init to finish. */
  timeoutMs: number;
}

/** The options when booting is on; undefined when off. Throws on a value it cannot use. */
export function bootOptions(env: NodeJS.ProcessEnv): BootOptions | undefined {
  const flag = env[BOOT_ENV] ?? "";
  if (flag === "" || flag === "0") return undefined;
  if (flag !== "1") throw new Error(`${BOOT_ENV} is "${flag}"; expected 1 (boot) or 0 (records only)`);
  const image = env[IMAGE_ENV] ?? "";
  if (image === "")
    throw new Error(
      `${BOOT_ENV}=1 but ${IMAGE_ENV} is not set; install the plugins with installFakeCloud (or scripts/fake-cloud env), which sets it`,
    );
  const seconds = Number(env[BOOT_TIMEOUT_ENV] ?? DEFAULT_TIMEOUT_S);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`${BOOT_TIMEOUT_ENV} is "${env[BOOT_TIMEOUT_ENV] ?? ""}"; expected seconds > 0`);
  return { image, timeoutMs: seconds * 1000 };
}

/** The label value every container of one store carries: `dstack.fake-cloud=<this>`. */
export function storeLabel(storeDir: string): string {
  return createHash("sha256").update(resolve(storeDir)).digest("hex").slice(0, 12);
}

/** The container of the instance created with this serial in this store. */
export function containerName(storeDir: string, cloud: string, serial: number): string {
  return `dstack-fake-${cloud}-${storeLabel(storeDir)}-${serial}`;
}
