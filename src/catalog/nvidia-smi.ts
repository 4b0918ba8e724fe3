// Turn `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` into catalog GPU names, so the
// local machine's GPUs match requests written the dstack way (`A100`, `RTX4090`, `L40S`).
import { KNOWN_GPU_NAMES, lookupGpu } from "../compiler/grammar/gpu-names.js";

export interface LocalGpu {
  name: string;
  memory_gb: number;
  compute_capability: string | null;
}

// NVIDIA's tables (the same figures DATA.md uses for the clouds).
const COMPUTE_CAPABILITY: Readonly<Record<string, string>> = {
  B200: "10.0",
  H200: "9.0",
  H100: "9.0",
  H100NVL: "9.0",
  GH200: "9.0",
  L4: "8.9",
  L40: "8.9",
  L40S: "8.9",
  RTX4090: "8.9",
  A10: "8.6",
  A10G: "8.6",
  A40: "8.6",
  A16: "8.6",
  A2: "8.6",
  RTX3090: "8.6",
  A6000: "8.6",
  A5000: "8.6",
  A4000: "8.6",
  A100: "8.0",
  A30: "8.0",
  T4: "7.5",
  V100: "7.0",
  P4: "6.1",
  P40: "6.1",
  P100: "6.0",
};

const NVIDIA_NAMES = KNOWN_GPU_NAMES.filter((n) => lookupGpu(n)?.vendor === "nvidia");

/** `NVIDIA A100-SXM4-80GB` -> `A100`, `NVIDIA GeForce RTX 4090` -> `RTX4090`, `Tesla T4` -> `T4`. */
export function shortGpuName(full: string): string {
  const compact = full
    .replace(/\b(NVIDIA|Tesla|GeForce|Quadro)\b/gi, "")
    .replace(/\s+/g, "")
    .toUpperCase();
  let best = "";
  for (const name of NVIDIA_NAMES) {
    if (name.length > best.length && compact.startsWith(name.toUpperCase())) best = name;
  }
  if (best !== "") return best;
  return (
    full
      .trim()
      .split(/[\s-]+/)
      .filter(Boolean)
      .pop() ?? full.trim()
  );
}

export function parseNvidiaSmi(output: string): LocalGpu[] {
  const gpus: LocalGpu[] = [];
  for (const line of output.split("\n")) {
    const [rawName, rawMemory] = line.split(",").map((s) => s.trim());
    if (rawName === undefined || rawName === "" || rawMemory === undefined) continue;
    const mib = Number(/^(\d+(?:\.\d+)?)/.exec(rawMemory)?.[1]);
    if (!Number.isFinite(mib)) continue;
    const name = shortGpuName(rawName);
    gpus.push({
      name,
      memory_gb: Math.round(mib / 1024),
      compute_capability: COMPUTE_CAPABILITY[name] ?? null,
    });
  }
  return gpus;
}
