// The Pulumi program of a local volume's own stack: one Docker named volume. The resource (with
// @pulumi/pulumi, ~0.8 s) loads only when the program runs.
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";

export interface LocalVolumeInput {
  /** The dstack volume's name. */
  volume: string;
  /** The Docker volume's name. */
  dockerName: string;
}

export function localVolumeProgram(input: LocalVolumeInput): PulumiFn {
  return async () => {
    const { LocalVolume } = await import("./volume-resource.js");
    const volume = new LocalVolume(input.volume, { name: input.dockerName, volume: input.volume });
    return { volume_id: volume.name, adopted: volume.adopted };
  };
}
