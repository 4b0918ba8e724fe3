// Where an attached network volume shows up inside the VM, per cloud, from what the pool stack gives
// it: AWS the device name of its attachment (/dev/sdf onward, in the instance's volume order), which
// Nitro instances expose as an NVMe device whose by-id link carries the volume id; GCP the attached
// disk's device name (/dev/disk/by-id/google-<name>); Azure the data disk's LUN. Pure and light (no
// Pulumi package), so the job spec can name the devices the agent mounts.
import { deviceName as gcpDeviceName } from "./gcp/naming.js";

/** AWS's recommended device names for EBS data volumes on Linux run from /dev/sdf to /dev/sdp. */
export const AWS_MAX_VOLUMES = 11;

/** The n-th (from 0) EBS data volume's device name: /dev/sdf, /dev/sdg, ... */
export function awsDeviceName(n: number): string {
  return `/dev/sd${String.fromCharCode("f".charCodeAt(0) + n)}`;
}

/**
 * The paths the n-th volume of an instance may have in the guest, most specific first: the agent mounts
 * the first that exists. `volumeId` is the provider's id (AWS: vol-...), when known.
 */
export function guestDevices(backend: string, volume: string, n: number, volumeId: string | null): string[] {
  switch (backend) {
    case "aws": {
      const sd = awsDeviceName(n);
      const nvme =
        volumeId === null
          ? []
          : [`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`];
      return [...nvme, sd, sd.replace("/dev/sd", "/dev/xvd")];
    }
    case "gcp":
      return [`/dev/disk/by-id/google-${gcpDeviceName(volume)}`];
    case "azure":
      return [`/dev/disk/azure/scsi1/lun${n}`];
    default:
      return [];
  }
}
