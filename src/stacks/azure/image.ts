// The OS image of an instance: the spec's image (a marketplace URN `publisher:offer:sku:version`, or a
// custom image / gallery image version resource id), else a default by GPU vendor.
//
// Defaults are Ubuntu 24.04, not 22.04: user data installs Node from the distribution when it is missing,
// and the agent needs Node >= 18 (24.04 ships 18, 22.04 ships 12). GPU sizes get Microsoft's Ubuntu-HPC
// image, which carries the GPU driver, CUDA (or ROCm), Docker with the NVIDIA container toolkit, and the
// InfiniBand stack the ND-series need, so a GPU instance is usable as soon as cloud-init is done. All
// three are Gen2 images, which every current GPU size requires.
import { UserError } from "../../errors.js";
import type { PoolInstanceSpec } from "../pool-spec.js";

export interface ImageReference {
  publisher?: string;
  offer?: string;
  sku?: string;
  version?: string;
  id?: string;
}

export const UBUNTU_IMAGE = {
  publisher: "Canonical",
  offer: "ubuntu-24_04-lts",
  sku: "server",
  version: "latest",
};
export const NVIDIA_IMAGE = {
  publisher: "microsoft-dsvm",
  offer: "ubuntu-hpc",
  sku: "2404",
  version: "latest",
};
export const AMD_IMAGE = {
  publisher: "microsoft-dsvm",
  offer: "ubuntu-hpc",
  sku: "2404-rocm",
  version: "latest",
};

export function imageReference(
  instance: Pick<PoolInstanceSpec, "image" | "gpu_count" | "gpu_vendor">,
): ImageReference {
  if (instance.image !== null) return parseImage(instance.image);
  if (instance.gpu_count === 0) return UBUNTU_IMAGE;
  return instance.gpu_vendor?.toLowerCase() === "amd" ? AMD_IMAGE : NVIDIA_IMAGE;
}

export function parseImage(image: string): ImageReference {
  if (image.startsWith("/subscriptions/")) return { id: image };
  const parts = image.split(":");
  const [publisher, offer, sku, version] = parts;
  if (parts.length !== 4 || parts.some((p) => p.trim() === "") || !publisher || !offer || !sku || !version)
    throw new UserError(
      "azure-image",
      `Azure image "${image}" is neither a URN nor an image resource id`,
      `write publisher:offer:sku:version, e.g. ${Object.values(UBUNTU_IMAGE).join(":")}`,
    );
  return { publisher, offer, sku, version };
}
