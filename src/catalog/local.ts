// The `local` backend's one offer: this machine, free of charge. Probing is the only effect here; the
// offer itself is built by a pure function so tests can describe any machine.
import { execFileSync } from "node:child_process";
import { statfsSync } from "node:fs";
import { arch, cpus, homedir, totalmem } from "node:os";
import type { CpuArch } from "../compiler/grammar/cpu.js";
import type { Offer } from "./offer.js";
import { parseNvidiaSmi, type LocalGpu } from "./nvidia-smi.js";

export interface LocalMachine {
  cpus: number;
  cpu_arch: CpuArch;
  memory_gb: number;
  /**
   * Size of the file system where runs keep their files (the home directory's). A local instance has no
   * disk of its own: like a VM's root volume, this whole file system is what its runs see, so requests
   * such as the default `100GB..` are matched against its size, not against what happens to be free.
   */
  disk_gb: number;
  gpus: LocalGpu[];
}

const GB = 1024 ** 3;
const round1 = (n: number): number => Math.round(n * 10) / 10;

export function probeLocalMachine(home: string = homedir()): LocalMachine {
  return {
    cpus: cpus().length,
    cpu_arch: arch() === "arm64" ? "arm" : "x86",
    memory_gb: round1(totalmem() / GB),
    disk_gb: diskGb(home),
    gpus: probeGpus(),
  };
}

function diskGb(path: string): number {
  try {
    const stats = statfsSync(path);
    return Math.floor((stats.blocks * stats.bsize) / GB);
  } catch {
    return 0;
  }
}

/** No nvidia-smi, a failing one or a slow one all mean: no GPUs we can use. */
function probeGpus(): LocalGpu[] {
  try {
    const output = execFileSync("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader"], {
      encoding: "utf8",
      timeout: 3000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return parseNvidiaSmi(output);
  } catch {
    return [];
  }
}

/** `zones`: the simulated availability zones of ~/.dstack/config.yml, one attempt each. */
export function localOffer(machine: LocalMachine, zones: readonly string[] = []): Offer {
  // Offers describe one GPU model; a mixed machine is offered with its first model only.
  const first = machine.gpus[0];
  const same = first === undefined ? [] : machine.gpus.filter((g) => g.name === first.name);
  return {
    backend: "local",
    region: "local",
    zones: [...zones],
    instance_type: "local",
    instance_id: "local",
    accelerator: null,
    spot: false,
    price: 0,
    cpus: machine.cpus,
    cpu_arch: machine.cpu_arch,
    memory_gb: machine.memory_gb,
    gpu_vendor: first === undefined ? null : "nvidia",
    gpu_name: first?.name ?? null,
    gpu_count: same.length,
    gpu_memory_gb: first?.memory_gb ?? 0,
    compute_capability: first?.compute_capability ?? null,
    gpu_fraction: null,
    local_disk_gb: machine.disk_gb,
    // Runs use the host's file system: any size up to its size.
    disk_min_gb: Math.min(1, machine.disk_gb),
    disk_max_gb: machine.disk_gb,
    deprecated: false,
    price_estimated: false,
  };
}
