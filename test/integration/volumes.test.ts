// Network volumes end to end on the local backend (issue 13, part 2), with the built CLI, the real
// Pulumi engine and Docker: `apply` of a volume creates a Docker named volume through its own stack
// (volume-NAME); two successive runs mount it by name and the second reads what the first wrote; while
// a dev environment mounts it, `volume delete` is refused naming the run and nothing changes; once the
// run is stopped, `volume delete` destroys the stack and the Docker volume. Bad input: applying the
// same name with other settings is refused and changes nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.js";
import { containersWithLabel, localImages, requireDockerImages, tryDocker } from "./docker.js";
import { requirePulumi } from "./pulumi-path.js";

const home = mkdtempSync(join(tmpdir(), "dstack-volumes-home-"));
const dir = mkdtempSync(join(tmpdir(), "dstack-volumes-project-"));
const stamp = Date.now().toString(36);
const volume = `vol-e2e-${stamp}`;
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  DSTACK_CACHE: process.env.DSTACK_CACHE ?? join(homedir(), ".cache", "dstack"),
  NO_COLOR: "1",
  DSTACK_REAPER_INTERVAL_MS: "1000",
};

function cli(args: string[]): { code: number; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env,
    encoding: "utf8",
    timeout: 240_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

interface VolumeRow {
  name: string;
  status: string;
  attached_to: string[];
  stack: { project: string; stack: string } | null;
}
const volumes = (): VolumeRow[] =>
  (JSON.parse(cli(["volume", "list", "--json"]).stdout) as { volumes: VolumeRow[] }).volumes;
const dockerVolume = (): Record<string, string> | undefined => {
  const r = tryDocker(["volume", "inspect", volume, "--format", "{{json .Labels}}"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, string>) : undefined;
};
const stackFile = join(home, ".dstack", "state", ".pulumi", "stacks", "dstack", `volume-${volume}.json`);

function write(file: string, text: string): string {
  writeFileSync(join(dir, file), text);
  return file;
}

describe("network volumes on the local backend", () => {
  beforeAll(() => {
    requirePulumi();
    requireDockerImages(localImages().instance, localImages().base);
  });

  afterAll(() => {
    // Whatever happened, leave nothing behind: the runs, their instances (through the pool's stack, so
    // the reaper finds an empty pool and exits), any container still naming the volume, the volume.
    for (const name of ["vol-dev", "vol-write", "vol-read"]) cli(["stop", name, "-y"]);
    const ps = cli(["pool", "ps", "--json"]);
    const instances =
      ps.code === 0 ? (JSON.parse(ps.stdout) as { instances: { name: string }[] }).instances : [];
    for (const { name } of instances) cli(["pool", "remove", name, "--force", "-y"]);
    for (const id of containersWithLabel("dstack.managed=true"))
      if (tryDocker(["inspect", "-f", "{{.Mounts}}", id]).stdout.includes(volume))
        tryDocker(["rm", "-f", id]);
    tryDocker(["volume", "rm", volume]);
  }, 180_000);

  it("creates a volume, keeps its data across runs, refuses deletion while attached, deletes it after", () => {
    const config = write("vol.dstack.yml", `type: volume\nname: ${volume}\nbackend: local\nsize: 10GB\n`);

    // The diff of its own stack, and nothing created by a dry run.
    const dry = cli(["apply", "-f", config, "--dry-run"]);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain(`+  create  ${volume}`);
    expect(dockerVolume()).toBeUndefined();
    expect(volumes()).toEqual([]);

    const created = cli(["apply", "-f", config, "-y", "--json"]);
    expect(created.code, created.out).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      result: "created",
      volume: { name: volume, backend: "local", volume_id: volume, registered: false, status: "active" },
    });
    expect(dockerVolume()).toMatchObject({ "dstack.managed": "true", "dstack.volume": volume });
    expect(existsSync(stackFile)).toBe(true);
    const [row, ...others] = volumes();
    expect(others).toEqual([]);
    expect(row).toMatchObject({ name: volume, status: "active", attached_to: [] });
    expect(row?.stack).toMatchObject({ project: "dstack", stack: `volume-${volume}` });

    // Applied again: no change. The same name with another size: refused, nothing changed.
    const again = cli(["apply", "-f", config, "-y"]);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("already exists: no changes");
    const bigger = write("bigger.dstack.yml", `type: volume\nname: ${volume}\nbackend: local\nsize: 20GB\n`);
    const clash = cli(["apply", "-f", bigger, "-y"]);
    expect(clash.code).toBe(1);
    expect(clash.out).toContain(
      `volume ${volume} already exists with other settings: size 10GB (the configuration says 20GB)`,
    );
    expect(volumes()).toEqual([expect.objectContaining({ name: volume, status: "active" })]);

    // Run 1 writes into the volume; run 2, a new run, reads it back: the data is kept.
    const writer = write(
      "write.dstack.yml",
      `type: task\nname: vol-write\nvolumes: [${volume}:/data]\ncommands:\n  - echo kept-${stamp} > /data/proof.txt\n`,
    );
    const run1 = cli(["apply", "-f", writer, "-y"]);
    expect(run1.code, run1.out).toBe(0);
    expect(run1.out).not.toContain(`no volume named ${volume}`);
    const reader = write(
      "read.dstack.yml",
      `type: task\nname: vol-read\nvolumes: [${volume}:/data]\ncommands:\n  - cat /data/proof.txt\n`,
    );
    const run2 = cli(["apply", "-f", reader, "-y"]);
    expect(run2.code, run2.out).toBe(0);
    expect(run2.out).toContain(`kept-${stamp}`);

    // A dev environment mounting it: delete is refused, naming the run, and nothing changes.
    const dev = write("dev.dstack.yml", `type: dev-environment\nname: vol-dev\nvolumes: [${volume}:/data]\n`);
    const started = cli(["apply", "-f", dev, "-y", "-d"]);
    expect(started.code, started.out).toBe(0);
    expect(volumes()).toEqual([expect.objectContaining({ name: volume, attached_to: ["vol-dev"] })]);
    const refused = cli(["volume", "delete", volume, "-y"]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`volume ${volume} is attached to vol-dev`);
    expect(refused.out).toContain("dstack stop vol-dev");
    expect(dockerVolume()).toBeDefined();
    expect(volumes()).toHaveLength(1);

    // Stopped: the volume is deleted, its stack with it, and Docker no longer has it.
    expect(cli(["stop", "vol-dev", "-y"]).code).toBe(0);
    const deleted = cli(["volume", "delete", volume, "-y"]);
    expect(deleted.code, deleted.out).toBe(0);
    expect(deleted.out).toContain(`Deleted the volume ${volume} (local) and its data`);
    // The pool's instance is still there (idle): a volume's lifetime is not an instance's.
    expect(
      (JSON.parse(cli(["pool", "ps", "--json"]).stdout) as { instances: unknown[] }).instances,
    ).toHaveLength(1);
    expect(dockerVolume()).toBeUndefined();
    expect(existsSync(stackFile)).toBe(false);
    expect(volumes()).toEqual([]);

    // Unknown now: a clear error.
    const unknown = cli(["volume", "delete", volume, "-y"]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain(`no volume named "${volume}"`);
  }, 600_000);
});
