// What a Compute Engine machine type implies: whether it carries GPUs, which accelerators must be
// attached to it, and which boot image it gets when the spec names none.
import type { PoolInstanceSpec } from "../pool-spec.js";

/**
 * Families whose GPUs are part of the machine type (A2: A100, A3: H100/H200, A4: B200, G2: L4, G4:
 * RTX PRO 6000). Asking for guestAccelerators on them is an API error, so they never get any, even if a
 * spec names the accelerator for information. Only N1 takes attached GPUs (T4, V100, P100, P4).
 */
const BUILT_IN_GPU_FAMILIES = ["a2-", "a3-", "a4-", "a4x-", "g2-", "g4-"];

export function hasBuiltInGpus(machineType: string): boolean {
  return BUILT_IN_GPU_FAMILIES.some((family) => machineType.startsWith(family));
}

export function hasGpus(instance: PoolInstanceSpec): boolean {
  return instance.gpu_count > 0 || instance.accelerator !== null || hasBuiltInGpus(instance.instance_type);
}

export function guestAccelerators(instance: PoolInstanceSpec): { type: string; count: number }[] {
  if (instance.accelerator === null || hasBuiltInGpus(instance.instance_type)) return [];
  return [{ type: instance.accelerator.type, count: instance.accelerator.count }];
}

/**
 * Google's Deep Learning VM image (Ubuntu 22.04, NVIDIA driver and CUDA 12.4 preinstalled, cloud-init
 * present), by family so new patch releases are picked up on the next replacement. CUDA 12.4 drivers
 * cover T4 through H100; the workload's own CUDA comes with its container image.
 */
export const GPU_IMAGE =
  "projects/deeplearning-platform-release/global/images/family/common-cu124-ubuntu-2204-py310";
/** Canonical's Ubuntu 22.04 LTS for machines without GPUs (no driver to carry). */
export const CPU_IMAGE = "ubuntu-os-cloud/ubuntu-2204-lts";

export function bootImage(instance: PoolInstanceSpec): string {
  return instance.image ?? (hasGpus(instance) ? GPU_IMAGE : CPU_IMAGE);
}
