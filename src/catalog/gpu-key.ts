// GPU names are compared the way dstack compares them (case-insensitively), and also across spelling
// differences between what users write and what price lists say: spaces and dashes are ignored
// ("H100 NVL" = "H100NVL"), and a few names have a second spelling that the compiler accepts.

const ALIASES: Readonly<Record<string, string>> = {
  // AWS calls the g4ad GPU "Radeon Pro V520"; the compiler knows it as V520.
  radeonprov520: "v520",
};

export function gpuKey(name: string): string {
  const compact = name.toLowerCase().replace(/[\s_-]+/g, "");
  // TPU v5e slices are sold as v5litepod-N; users write either.
  const tpu = compact.replace(/^v5litepod(\d+)$/, "v5e$1");
  return ALIASES[tpu] ?? tpu;
}
