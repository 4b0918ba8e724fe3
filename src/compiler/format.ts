// Human-readable one-liners of normalized specs, in dstack's style: `2..xCPU, 8GB.., 1..xA100:80GB, 100GB.. (disk)`.
import { formatRange, type Range } from "./grammar/range.js";
import { formatSize } from "./grammar/units.js";
import type { ResourcesSpec } from "./spec.js";

function sizeRange(range: Range): string {
  if (range.min !== null && range.min === range.max) return formatSize(range.min);
  return `${range.min === null ? "" : formatSize(range.min)}..${range.max === null ? "" : formatSize(range.max)}`;
}

export function formatResources(r: ResourcesSpec): string {
  const parts = [
    `${r.cpu.arch === null ? "" : `${r.cpu.arch}:`}${formatRange(r.cpu.count)}xCPU`,
    sizeRange(r.memory),
  ];
  if (r.gpu !== null) {
    const what = r.gpu.name?.join(",") ?? r.gpu.vendor ?? "GPU";
    const memory = r.gpu.memory === null ? "" : `:${sizeRange(r.gpu.memory)}`;
    parts.push(`${formatRange(r.gpu.count)}x${what}${memory}`);
  }
  if (r.shm_size !== null) parts.push(`${formatSize(r.shm_size)} (shm)`);
  if (r.disk !== null) parts.push(`${sizeRange(r.disk.size)} (disk)`);
  return parts.join(", ");
}
