// Volume records and what is derived from them: the store's round trip, what differs between a record
// and a configuration of the same name (applying it again changes nothing; other settings are refused),
// the rows `volume list` shows, and how a run's mounts meet the records (refusals and warnings).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import type { RunSpec, VolumeSpec } from "../../../src/compiler/spec.js";
import { UserError } from "../../../src/errors.js";
import { mountsVolume } from "../../../src/toolkit/volume-users.js";
import { checkRunVolumes, cloudVolumePlacement, runVolumeName } from "../../../src/volumes/run-volumes.js";
import { settingsDiff, settingsOf, volumeWhere } from "../../../src/volumes/settings.js";
import {
  listVolumes,
  readVolume,
  removeVolume,
  writeVolume,
  type VolumeRecord,
} from "../../../src/volumes/store.js";
import { volumeRow, volumeTableRow } from "../../../src/volumes/volume-view.js";

function specOf<T extends "volume" | "task">(text: string): T extends "volume" ? VolumeSpec : RunSpec {
  const result = compile({ file: "x.dstack.yml", text });
  if (result.spec === null) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.spec as T extends "volume" ? VolumeSpec : RunSpec;
}

function record(spec: VolumeSpec, extra: Partial<VolumeRecord> = {}): VolumeRecord {
  return {
    name: spec.name,
    ...settingsOf(spec),
    status: "active",
    stack: { project: "dstack", stack: `volume-${spec.name}`, backend_url: "file:///x" },
    config_file: "vol.dstack.yml",
    created_at: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

const LOCAL = specOf<"volume">("type: volume\nname: data\nbackend: local\nsize: 10GB\n");
const AWS = specOf<"volume">(
  "type: volume\nname: ebs\nbackend: aws\nregion: us-east-1\nvolume_id: vol-0123\n",
);

describe("volume store", () => {
  it("writes, reads, lists in name order and removes records", () => {
    const home = mkdtempSync(join(tmpdir(), "dstack-volumes-"));
    writeVolume(home, record(LOCAL, { volume_id: "data" }));
    writeVolume(home, record(AWS, { stack: null }));
    expect(readVolume(home, "data")).toMatchObject({ backend: "local", size_gb: 10, registered: false });
    expect(listVolumes(home).map((v) => v.name)).toEqual(["data", "ebs"]);
    removeVolume(home, "data");
    expect(readVolume(home, "data")).toBeUndefined();
    expect(listVolumes(home).map((v) => [v.name, v.registered, v.volume_id])).toEqual([
      ["ebs", true, "vol-0123"],
    ]);
  });
});

describe("settingsDiff", () => {
  it("finds nothing between a record and the configuration it was made from", () => {
    expect(settingsDiff(record(LOCAL, { volume_id: "data" }), LOCAL)).toEqual([]);
    expect(settingsDiff(record(AWS), AWS)).toEqual([]);
  });

  it("names each setting that differs, with both values", () => {
    const bigger = specOf<"volume">("type: volume\nname: data\nbackend: local\nsize: 20GB\n");
    expect(settingsDiff(record(LOCAL), bigger)).toEqual(["size 10GB (the configuration says 20GB)"]);
    const moved = specOf<"volume">(
      "type: volume\nname: ebs\nbackend: aws\nregion: eu-west-1\nvolume_id: vol-9\n",
    );
    expect(settingsDiff(record(AWS), moved)).toEqual([
      "region us-east-1 (the configuration says eu-west-1)",
      "volume_id vol-0123 (the configuration says vol-9)",
    ]);
    const created = specOf<"volume">("type: volume\nname: ebs\nbackend: aws\nregion: us-east-1\nsize: 100\n");
    expect(settingsDiff(record(AWS), created)).toContain("volume_id vol-0123 (the configuration says none)");
  });

  it("says where a volume lives", () => {
    expect(volumeWhere(settingsOf(LOCAL))).toBe("local");
    expect(volumeWhere({ backend: "aws", region: "us-east-1", availability_zone: "us-east-1a" })).toBe(
      "aws us-east-1 (us-east-1a)",
    );
  });
});

describe("volume list rows", () => {
  it("shows NAME, BACKEND, REGION, SIZE, ATTACHED TO, STATUS", () => {
    const row = volumeRow(record(LOCAL), { attached: ["train", "dev"], creatorAlive: false, exists: true });
    expect(volumeTableRow(row)).toEqual(["data", "local", "local", "10GB", "train, dev", "active"]);
    const registered = volumeRow(record(AWS, { size_gb: null }), { attached: [], creatorAlive: false });
    expect(volumeTableRow(registered)).toEqual(["ebs", "aws", "us-east-1", "-", "-", "active, registered"]);
  });

  it("tells a killed apply, a live one and a volume removed outside dstack apart", () => {
    const provisioning = record(LOCAL, { status: "provisioning" });
    expect(volumeRow(provisioning, { attached: [], creatorAlive: true }).status).toBe("provisioning");
    expect(volumeRow(provisioning, { attached: [], creatorAlive: false }).status).toBe("failed");
    expect(volumeRow(record(LOCAL), { attached: [], creatorAlive: false, exists: false }).status).toBe(
      "missing",
    );
  });
});

describe("runs mounting volumes", () => {
  const home = mkdtempSync(join(tmpdir(), "dstack-run-volumes-"));
  writeVolume(home, record(LOCAL, { volume_id: "data" }));
  writeVolume(
    home,
    record(specOf<"volume">("type: volume\nname: old\nbackend: local\nvolume_id: docker-old\n"), {
      stack: null,
    }),
  );
  writeVolume(home, record(AWS, { stack: null }));
  writeVolume(
    home,
    record(specOf<"volume">("type: volume\nname: half\nbackend: local\nsize: 1\n"), {
      status: "provisioning",
    }),
  );

  it("binds a recorded local volume's Docker volume, any other name as it is", () => {
    const name = runVolumeName(home);
    expect([name("data"), name("old"), name("unknown")]).toEqual(["data", "docker-old", "unknown"]);
  });

  it("warns about a name no record holds, and accepts recorded local volumes silently", () => {
    const warnings = checkRunVolumes(
      home,
      specOf<"task">("type: task\ncommands: [x]\nvolumes: [data:/d, old:/o, typo:/t]\n"),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("no volume named typo");
    expect(
      checkRunVolumes(
        home,
        specOf<"task">("type: task\ncommands: [x]\nvolumes: ['data-${{ dstack.node_rank }}:/d']\n"),
      ),
    ).toEqual([]);
  });

  it("refuses a volume whose creation was interrupted, and places a cloud volume's run in its zone", () => {
    const refused = (mount: string): UserError => {
      try {
        cloudVolumePlacement(home, specOf<"task">(`type: task\ncommands: [x]\nvolumes: [${mount}:/d]\n`));
      } catch (error) {
        if (error instanceof UserError) return error;
      }
      throw new Error("expected a refusal");
    };
    expect(refused("half")).toMatchObject({ code: "volume-not-ready" });
    expect(refused("half").message).toContain("interrupted");
    // Registered without availability_zone: nowhere to place the instance.
    expect(refused("ebs")).toMatchObject({ code: "volume-zone-unknown" });
    writeVolume(home, record(AWS, { stack: null, name: "zoned", availability_zone: "us-east-1b" }));
    const placement = cloudVolumePlacement(
      home,
      specOf<"task">("type: task\ncommands: [x]\nvolumes: [zoned:/d, typo:/t]\n"),
    );
    expect(placement).toMatchObject({ backend: "aws", region: "us-east-1", zone: "us-east-1b" });
    expect(placement?.volumes).toEqual([
      { name: "zoned", size_gb: 0, zone: "us-east-1b", volume_id: "vol-0123" },
    ]);
    expect(
      cloudVolumePlacement(home, specOf<"task">("type: task\ncommands: [x]\nvolumes: [data:/d]\n")),
    ).toBe(undefined);
  });

  it("finds the runs whose applied configuration mounts a volume", () => {
    const spec = { volumes: [{ kind: "network", name: ["data-a", "data-b"], path: "/d" }] };
    expect(mountsVolume(spec, "data-b")).toBe(true);
    expect(mountsVolume(spec, "data")).toBe(false);
    expect(mountsVolume({ volumes: [{ kind: "instance", instance_path: "/x", path: "/y" }] }, "x")).toBe(
      false,
    );
  });
});
