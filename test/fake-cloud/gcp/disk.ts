// gcp:compute/disk:Disk and gcp:compute/attachedDisk:AttachedDisk. A persistent disk attaches only in
// its own zone, read-write to one instance (or TPU) at a time, and cannot be deleted while attached.
// Shrinking a disk replaces it (GCP can only grow disks), as with the real provider.
import type { Checker } from "../core/check-kit.js";
import { digitsOf } from "../core/hash.js";
import type { Ctx, ResourceKind } from "../core/kind.js";
import { basename, generated } from "../core/render.js";
import { arr, obj, str, type JsonObject } from "../core/values.js";
import { checkName, checkPlacement, COMPUTE, googleApiError, placed } from "./common.js";
import { effectiveLabels, type GcpConfig } from "./config.js";

const DISK = "gcp:compute/disk:Disk";
const ATTACHED = "gcp:compute/attachedDisk:AttachedDisk";
const INSTANCE = "gcp:compute/instance:Instance";
const TPU = "gcp:tpu/v2Vm:V2Vm";

/** Who uses a disk: attachments (`.../instances/<i>/<disk>`) and TPU VMs' dataDisks. */
function usersOf(diskPath: string, ctx: Ctx<GcpConfig>): string[] {
  const [prefix, name] = [diskPath.replace(/\/disks\/[^/]+$/, "/instances/"), basename(diskPath)];
  return Object.values(ctx.resources).flatMap((r) => {
    if (r.type === ATTACHED && r.id.startsWith(prefix) && r.id.endsWith(`/${name}`))
      return [r.id.replace(/\/[^/]+$/, "")];
    if (
      r.type === TPU &&
      (arr(r.inputs.dataDisks) ?? []).some((d) => str(obj(d)?.sourceDisk)?.endsWith(diskPath) === true)
    )
      return [r.id];
    return [];
  });
}

function inUse(doing: string, diskPath: string, user: string): Error {
  return googleApiError(
    doing,
    400,
    `The disk resource '${diskPath}' is already being used by '${user}'`,
    "resourceInUseByAnotherResource",
  );
}

export const gcpDisk: ResourceKind<GcpConfig> = {
  type: DISK,
  nameProperty: "name",
  replaceOn: ["name", "zone", "project", "type", "image", "snapshot", "sourceDisk", "physicalBlockSizeBytes"],
  replaceIf: (olds, news) =>
    typeof olds.size === "number" && typeof news.size === "number" && news.size < olds.size ? ["size"] : [],
  check: (c: Checker, config) => {
    checkPlacement(c, config, true);
    c.positiveInt("size");
    c.type("type", "string");
    c.type("labels", "object");
  },
  id: (inputs, _serial, ctx) => {
    const { project, zone } = placed(inputs, ctx.config);
    return `projects/${project}/zones/${zone}/disks/${str(inputs.name) ?? ""}`;
  },
  render: (inputs, ident, ctx) => {
    const { project, zone } = placed(inputs, ctx.config);
    const labels = effectiveLabels(ctx.config, inputs);
    return {
      ...inputs,
      id: `projects/${project}/zones/${zone}/disks/${str(inputs.name) ?? ""}`,
      project,
      zone,
      selfLink: `${COMPUTE}projects/${project}/zones/${zone}/disks/${str(inputs.name) ?? ""}`,
      diskId: generated(ident, (i) => digitsOf(`disk:${i.serial}`, 19)),
      size: inputs.size ?? 10,
      type: inputs.type ?? "pd-standard",
      labels: inputs.labels ?? {},
      effectiveLabels: labels,
      pulumiLabels: labels,
    };
  },
  beforeCreate: (inputs) => checkName(str(inputs.name) ?? "", "creating Disk"),
  beforeDelete: (res, ctx) => {
    const user = usersOf(res.id, ctx)[0];
    if (user !== undefined) throw inUse("deleting Disk", res.id, user);
  },
};

/** The instance and disk paths an attachment names (self links, paths or bare names). */
function attachmentPaths(
  inputs: JsonObject,
  ctx: Ctx<GcpConfig>,
): { instance: string; disk: string; zone: string; project: string } {
  const rel = (v: string): string => v.replace(/^https:\/\/[^/]+\/compute\/v1\//, "");
  const instanceRef = rel(str(inputs.instance) ?? "");
  const fromPath = /^projects\/([^/]+)\/zones\/([^/]+)\//.exec(instanceRef);
  const { project, zone } = placed(inputs, ctx.config);
  const p = fromPath?.[1] ?? project;
  const z = str(inputs.zone) ?? fromPath?.[2] ?? zone;
  const diskRef = rel(str(inputs.disk) ?? "");
  return {
    project: p,
    zone: z,
    instance: `projects/${p}/zones/${z}/instances/${basename(instanceRef)}`,
    disk: diskRef.startsWith("projects/") ? diskRef : `projects/${p}/zones/${z}/disks/${basename(diskRef)}`,
  };
}

export const gcpAttachedDisk: ResourceKind<GcpConfig> = {
  type: ATTACHED,
  replaceOn: ["disk", "instance", "deviceName", "mode", "zone", "project", "interface"],
  check: (c, config) => {
    c.required("disk", "string");
    c.required("instance", "string");
    checkPlacement(c, config, false);
    c.oneOf("mode", ["READ_WRITE", "READ_ONLY"]);
  },
  id: (inputs, _serial, ctx) => {
    const p = attachmentPaths(inputs, ctx);
    return `${p.instance}/${basename(p.disk)}`;
  },
  render: (inputs, _ident, ctx) => {
    const p = attachmentPaths(inputs, ctx);
    return {
      ...inputs,
      id: `${p.instance}/${basename(p.disk)}`,
      project: p.project,
      zone: p.zone,
      deviceName: inputs.deviceName ?? basename(p.disk),
      mode: inputs.mode ?? "READ_WRITE",
    };
  },
  beforeCreate: (inputs, _id, ctx) => {
    const p = attachmentPaths(inputs, ctx);
    if (ctx.resources[p.instance]?.type !== INSTANCE)
      throw googleApiError(
        "retrieving instance",
        404,
        `The resource '${p.instance}' was not found`,
        "notFound",
      );
    const disk = ctx.resources[p.disk];
    if (disk?.type !== DISK)
      throw googleApiError("attaching disk", 404, `The resource '${p.disk}' was not found`, "notFound");
    if (disk.outputs.zone !== p.zone)
      throw googleApiError(
        "attaching disk",
        400,
        `Invalid value for field 'resource.source': '${p.disk}'. Disk must be in the same zone as the instance.`,
        "invalid",
      );
    const user = usersOf(p.disk, ctx)[0];
    if (user !== undefined && (inputs.mode ?? "READ_WRITE") === "READ_WRITE")
      throw inUse("attaching disk", p.disk, user);
  },
};
