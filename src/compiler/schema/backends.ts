// Every backend name dstack knows (its BackendType enum, dstack 0.22), and the ones this project
// provisions. A configuration written for dstack may list any of them; only the supported ones can get
// offers here, so the others are kept in the spec (an apply can then say which were asked for) and
// warned about, never rejected.

/** The backends this project provisions. */
export const BACKENDS = ["aws", "gcp", "azure", "local"] as const;

/**
 * dstack's backend types (`core/models/backends/base.py`), plus `local`, this project's own. `remote` is
 * dstack's name for SSH fleets' hosts; `datacrunch` is kept by dstack as the old name of `verda`.
 */
export const DSTACK_BACKENDS = [
  "amddevcloud",
  "aws",
  "azure",
  "cloudrift",
  "crusoe",
  "cudo",
  "datacrunch",
  "digitalocean",
  "dstack",
  "gcp",
  "hotaisle",
  "jarvislabs",
  "kubernetes",
  "lambda",
  "local",
  "nebius",
  "oci",
  "remote",
  "runpod",
  "slurm",
  "tensordock",
  "vastai",
  "verda",
  "vultr",
] as const;

export type Backend = (typeof BACKENDS)[number];
export type BackendName = (typeof DSTACK_BACKENDS)[number];

export function isSupportedBackend(name: string): name is Backend {
  return (BACKENDS as readonly string[]).includes(name);
}
