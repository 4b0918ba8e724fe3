// `dstack volume list | delete` and `dstack apply` of a volume over records as dstack writes them, for
// what needs neither Docker nor Pulumi: a registered cloud volume (recorded, forgotten by delete, never
// deleted), the refusals that change nothing (an unknown volume, with "did you mean"; a name already
// recorded with other settings; a cloud volume on an unconfigured backend; a run mounting a cloud volume
// of unknown zone, or whose zone has no offer), --json, and
// a killed apply shown as failed. Creating and deleting through a real stack, with runs mounting the
// volume, is test/integration/volumes.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dstack, project } from "./run-cli.js";

// A process of this host that is certainly gone: a killed apply.
const DEAD = { pid: 999_999_999, host: hostname(), start: null };

function home(): string {
  const h = mkdtempSync(join(tmpdir(), "dstack-volume-cli-"));
  const dir = join(h, ".dstack", "volumes");
  mkdirSync(dir, { recursive: true });
  const write = (record: Record<string, unknown>) =>
    writeFileSync(join(dir, `${String(record.name)}.json`), JSON.stringify({ record_version: 1, ...record }));
  write({
    name: "datasets",
    backend: "aws",
    region: "us-east-1",
    availability_zone: null,
    size_gb: null,
    volume_id: "vol-0123456789abcdef0",
    registered: true,
    status: "active",
    stack: null,
    config_file: "datasets.dstack.yml",
    created_at: "2026-01-01T00:00:00.000Z",
  });
  write({
    name: "scratch",
    backend: "local",
    region: "local",
    availability_zone: null,
    size_gb: 10,
    volume_id: null,
    registered: false,
    status: "provisioning",
    creator: DEAD,
    stack: { project: "dstack", stack: "volume-scratch", backend_url: "file:///nowhere" },
    config_file: "scratch.dstack.yml",
    created_at: "2026-01-01T00:00:00.000Z",
  });
  return h;
}

const volumeFiles = (h: string): string[] => readdirSync(join(h, ".dstack", "volumes")).sort();
const recordText = (h: string, name: string): string =>
  readFileSync(join(h, ".dstack", "volumes", `${name}.json`), "utf8");

describe("dstack volume list", () => {
  it("shows each volume with its backend, region, size, users and status", () => {
    const h = home();
    const r = dstack(["volume", "list"], { env: { HOME: h } });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/NAME\s+BACKEND\s+REGION\s+SIZE\s+ATTACHED TO\s+STATUS/);
    expect(lines[1]).toMatch(/datasets\s+aws\s+us-east-1\s+-\s+-\s+active, registered/);
    expect(lines[2]).toMatch(/scratch\s+local\s+local\s+10GB\s+-\s+failed \(apply interrupted\)/);
  });

  it("prints the rows as JSON with --json, and says when there is none", () => {
    const r = dstack(["volume", "list", "--json"], { env: { HOME: home() } });
    const { volumes } = JSON.parse(r.stdout) as { volumes: Record<string, unknown>[] };
    expect(volumes.map((v) => [v.name, v.status, v.registered, v.attached_to])).toEqual([
      ["datasets", "active", true, []],
      ["scratch", "failed", false, []],
    ]);
    const empty = dstack(["volume", "list"]);
    expect(empty.stdout).toContain("No volumes yet");
  });

  it("names a record it cannot read, and lists the others", () => {
    const h = home();
    writeFileSync(join(h, ".dstack", "volumes", "broken.json"), "{ not json");
    const r = dstack(["volume", "list"], { env: { HOME: h } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("broken.json");
    expect(r.stdout).toContain("datasets");
  });

  it("refuses an unknown subcommand with a suggestion", () => {
    const r = dstack(["volume", "lsit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "list"?');
  });
});

describe("dstack volume delete", () => {
  it("refuses an unknown volume, suggesting a near name, and changes nothing", () => {
    const h = home();
    const r = dstack(["volume", "delete", "dataset", "-y"], { env: { HOME: h } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no volume named "dataset"');
    expect(r.stderr).toContain('did you mean "datasets"?');
    expect(volumeFiles(h)).toEqual(["datasets.json", "scratch.json"]);
    const none = dstack(["volume", "delete", "x", "-y"]);
    expect(none.stderr).toContain("dstack volume list shows the volumes");
  });

  it("only forgets a registered volume, and says it was not deleted", () => {
    const h = home();
    const r = dstack(["volume", "delete", "datasets", "-y"], { env: { HOME: h } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Forgot the registered volume datasets");
    expect(r.stdout).toContain("it was not deleted");
    expect(volumeFiles(h)).toEqual(["scratch.json"]);
  });
});

describe("dstack apply of a volume", () => {
  it("registers an existing cloud volume by volume_id without creating anything, and again changes nothing", () => {
    const h = mkdtempSync(join(tmpdir(), "dstack-volume-cli-"));
    const dir = project({
      "vol.dstack.yml": "type: volume\nname: ckpt\nbackend: gcp\nregion: us-central1\nvolume_id: my-disk\n",
    });
    const r = dstack(["apply", "-f", "vol.dstack.yml", "-y", "--json"], { cwd: dir, env: { HOME: h } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { result: string; volume: Record<string, unknown> };
    expect(out.result).toBe("registered");
    expect(out.volume).toMatchObject({
      name: "ckpt",
      backend: "gcp",
      volume_id: "my-disk",
      registered: true,
      stack: null,
    });
    const again = dstack(["apply", "-f", "vol.dstack.yml", "-y"], { cwd: dir, env: { HOME: h } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already exists: no changes");
  });

  it("refuses a name already recorded with other settings, and changes nothing", () => {
    const h = home();
    const before = recordText(h, "datasets");
    const dir = project({
      "vol.dstack.yml":
        "type: volume\nname: datasets\nbackend: aws\nregion: us-east-1\nvolume_id: vol-other\n",
    });
    const r = dstack(["apply", "-f", "vol.dstack.yml", "-y"], { cwd: dir, env: { HOME: h } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("volume datasets already exists with other settings");
    expect(r.stderr).toContain("volume_id vol-0123456789abcdef0 (the configuration says vol-other)");
    expect(r.stderr).toContain("give this configuration another name");
    expect(recordText(h, "datasets")).toBe(before);
  });

  it("refuses to create a volume on a cloud ~/.dstack/config.yml does not configure, before asking anything of Pulumi", () => {
    const h = mkdtempSync(join(tmpdir(), "dstack-volume-cli-"));
    const dir = project({
      "vol.dstack.yml": "type: volume\nname: big\nbackend: aws\nregion: us-east-1\nsize: 100GB\n",
    });
    const r = dstack(["apply", "-f", "vol.dstack.yml", "-y"], { cwd: dir, env: { HOME: h } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the aws backend is not configured, so no run could mount a volume there");
    expect(r.stderr).toContain("backends: [{type: aws}]");
    expect(existsSync(join(h, ".dstack", "volumes", "big.json"))).toBe(false);
  });

  it("refuses a run mounting a registered cloud volume whose zone is unknown, before any offer is tried", () => {
    const h = home();
    const dir = project({
      "task.dstack.yml": "type: task\nname: reader\ncommands: [ls /d]\nvolumes: [datasets:/d]\n",
    });
    const r = dstack(["apply", "-f", "task.dstack.yml", "-y", "--dry-run"], { cwd: dir, env: { HOME: h } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("volume datasets was registered without availability_zone");
    expect(r.stderr).toContain("add availability_zone (the zone the volume is in) to datasets.dstack.yml");
  });

  it("keeps a run mounting a cloud volume to the volume's zone, and says so when nothing matches there", () => {
    const h = home();
    const zoned = JSON.parse(recordText(h, "datasets")) as Record<string, unknown>;
    writeFileSync(
      join(h, ".dstack", "volumes", "datasets.json"),
      JSON.stringify({ ...zoned, availability_zone: "us-east-1b" }),
    );
    const dir = project({
      "task.dstack.yml": "type: task\nname: reader\ncommands: [ls /d]\nvolumes: [datasets:/d]\n",
    });
    // No config.yml: only this machine is configured, and it is not where the volume is.
    const r = dstack(["apply", "-f", "task.dstack.yml", "-y", "--dry-run"], { cwd: dir, env: { HOME: h } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Volume datasets: the instance goes to aws us-east-1 (us-east-1b)");
    expect(r.stderr).toContain("is in aws us-east-1 (us-east-1b), where volume datasets is");
    expect(r.stderr).toContain("an instance attaches only volumes of its own zone");
  });
});
