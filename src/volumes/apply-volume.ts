// `dstack apply` of a volume as a library. With `volume_id`: an existing volume registered (recorded
// only; dstack never deletes it). Otherwise: the infrastructure diff of the volume's own stack, [y/n],
// then `up`. The record is written before `up` (provisioning, with this process as creator), so a
// killed apply is visible and applying again finishes it. Applying the same volume again changes
// nothing; a name already recorded with other settings is refused before anything happens.
import type { VolumeSpec } from "../compiler/spec.js";
import { formatSize } from "../compiler/grammar/units.js";
import { renderPlan, type Plan } from "../engine/plan.js";
import { destroy, preview, removeStack, up } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import type { EngineContext } from "../pools/stack-pool.js";
import { ownStamp, stampAlive } from "../process-identity.js";
import { dockerVolumeExists } from "../stacks/local/docker-volumes.js";
import { isCloudBackend } from "../stacks/pool-from-spec.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";
import { settingsDiff, settingsOf, volumeWhere } from "./settings.js";
import { readVolume, removeVolume, writeVolume, type VolumeRecord } from "./store.js";
import { checkCreatable, volumeStackRef, volumeTarget } from "./volume-stack.js";
import { volumeZone, zoneNote } from "./volume-zone.js";

export interface VolumeApplyUi {
  plan(text: string): void;
  confirm(question: string): Promise<boolean>;
  progress(line: string): void;
}

export interface VolumeApplyInput {
  spec: VolumeSpec;
  configFile: string;
  home: string;
  /** Asked only when a stack is needed (registering one needs no Pulumi). */
  engine: () => EngineContext;
  /** A cloud's network settings (~/.dstack/config.yml); asked only for a cloud volume. */
  network?: (backend: CloudBackend) => NetworkSettings;
  /** The zones the catalog lists for a cloud region (a volume without availability_zone takes the first). */
  knownZones?: (backend: string, region: string) => readonly string[];
  ui: VolumeApplyUi;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export type VolumeApplyResult =
  | { kind: "created"; volume: VolumeRecord; plan: Plan; adopted: boolean }
  | { kind: "registered"; volume: VolumeRecord }
  | { kind: "unchanged"; volume: VolumeRecord }
  | { kind: "declined" }
  | { kind: "dry-run"; plan: Plan | null };

/** The record of the same name: unchanged, refused, or a killed apply to finish (undefined: go on). */
function existing(home: string, spec: VolumeSpec): VolumeApplyResult | undefined {
  const recorded = readVolume(home, spec.name);
  if (recorded === undefined) return undefined;
  if (recorded.status === "provisioning" && recorded.creator !== undefined && stampAlive(recorded.creator))
    throw new UserError(
      "volume-busy",
      `volume ${spec.name} is being created by dstack process ${recorded.creator.pid}`,
      "wait for that apply to finish",
    );
  const diffs = settingsDiff(recorded, spec);
  if (diffs.length > 0)
    throw new UserError(
      "volume-exists",
      `volume ${spec.name} already exists with other settings: ${diffs.join("; ")}`,
      `a volume is never changed in place (its data could be lost): give this configuration another name, or \`dstack volume delete ${spec.name}\` (${recorded.registered ? "dstack forgets it" : "its data is deleted"}) and apply again`,
    );
  return recorded.status === "active" ? { kind: "unchanged", volume: recorded } : undefined;
}

function recordOf(input: VolumeApplyInput, patch: Partial<VolumeRecord>): VolumeRecord {
  return {
    name: input.spec.name,
    ...settingsOf(input.spec),
    status: "active",
    stack: null,
    config_file: input.configFile,
    created_at: new Date().toISOString(),
    ...patch,
  };
}

async function register(input: VolumeApplyInput): Promise<VolumeApplyResult> {
  const { spec, ui } = input;
  const id = spec.volume_id ?? "";
  if (spec.backend === "local" && !dockerVolumeExists(id))
    throw new UserError(
      "volume-not-found",
      `volume_id ${id}: this machine's Docker has no volume of that name`,
      "`docker volume ls` lists them; or drop volume_id (and give a size) to create the volume",
    );
  ui.plan(
    `Register the existing volume ${id} (${volumeWhere(settingsOf(spec))}) as ${spec.name}: no infrastructure changes; dstack never deletes it.`,
  );
  if (input.dryRun === true) return { kind: "dry-run", plan: null };
  if (!(await ui.confirm(`Register the volume ${spec.name}?`))) return { kind: "declined" };
  const volume = recordOf(input, {});
  writeVolume(input.home, volume);
  return { kind: "registered", volume };
}

export async function applyVolume(input: VolumeApplyInput): Promise<VolumeApplyResult> {
  const { spec, ui, home } = input;
  if (spec.name === "")
    throw new UserError("missing-name", "a volume needs a name", "add name: my-volume to the configuration");
  const before = existing(home, spec);
  if (before !== undefined) return before;
  if (spec.volume_id !== null) return register(input);

  checkCreatable(spec, home);
  const recorded = readVolume(home, spec.name);
  const resumed = recorded !== undefined;
  const cloud = isCloudBackend(spec.backend);
  // A killed apply's record already names the zone it was creating the volume in.
  const recordedZone = recorded?.availability_zone ?? null;
  const zone = !cloud
    ? null
    : recordedZone !== null
      ? { zone: recordedZone, source: "availability_zone" as const }
      : volumeZone(spec, () => input.knownZones?.(spec.backend, spec.region) ?? []);
  const engine = input.engine();
  const target = volumeTarget(spec, engine, {
    zone: zone?.zone ?? null,
    network: cloud ? (input.network?.(spec.backend as CloudBackend) ?? {}) : {},
  });
  if (spec.backend === "local" && !resumed && dockerVolumeExists(spec.name))
    ui.progress(
      `Docker already has a volume named ${spec.name} (made by a run that mounted it): the volume takes it over, and its data stays.`,
    );
  const diff = await preview(target, { signal: input.signal });
  // Previewing a new stack creates it empty in the state: removed at once, so a declined or dry run
  // leaves nothing behind. A killed apply's stack (resumed) may hold the volume: it stays.
  if (!resumed) await removeStack(target);
  ui.plan(renderPlan(diff));
  if (zone !== null) ui.plan(zoneNote(spec.name, zone));
  if (input.dryRun === true) return { kind: "dry-run", plan: diff };
  const size = spec.size === null ? "" : `, ${formatSize(spec.size)}`;
  if (!(await ui.confirm(`Create the volume ${spec.name} (${volumeWhere(settingsOf(spec))}${size})?`)))
    return { kind: "declined" };

  ui.progress(`Creating volume ${spec.name}...`);
  const provisioning = recordOf(input, {
    ...(zone === null ? {} : { availability_zone: zone.zone }),
    status: "provisioning",
    creator: ownStamp(),
    stack: volumeStackRef(spec.name, engine),
  });
  writeVolume(home, provisioning);
  let outputs: Record<string, unknown>;
  try {
    ({ outputs } = await up(target, { signal: input.signal }));
  } catch (error) {
    // Nothing half-made stays: the stack goes, and with it the record (a failed cleanup keeps the
    // record, so `dstack volume delete` can try again).
    await destroy(target, { remove: true });
    removeVolume(home, spec.name);
    throw error;
  }
  const volume: VolumeRecord = {
    ...provisioning,
    status: "active",
    creator: undefined,
    volume_id: typeof outputs.volume_id === "string" ? outputs.volume_id : null,
    // The zone the cloud reports (AWS: the AZ name the volume is in).
    ...(typeof outputs.zone === "string" && outputs.zone !== "" ? { availability_zone: outputs.zone } : {}),
  };
  writeVolume(home, volume);
  return { kind: "created", volume, plan: diff, adopted: outputs.adopted === true };
}
