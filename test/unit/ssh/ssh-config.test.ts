import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sshConfigFile } from "../../../src/home/paths.js";
import {
  ensureSshInclude,
  removeRunSshEntry,
  upsertRunSshEntry,
  type RunSshEntry,
} from "../../../src/ssh/ssh-config.js";

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-sshcfg-"));
  homes.push(dir);
  return dir;
}

function entry(h: string, run: string, runPort = 10022): RunSshEntry {
  return {
    run,
    instanceHost: "127.0.0.1",
    instancePort: 32768,
    instanceUser: "root",
    runPort,
    user: "root",
    identityFile: join(h, ".dstack", "ssh", "id_ed25519"),
  };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe("run entries in ~/.dstack/ssh/config", () => {
  it("writes a host block and a run block that jumps through it", () => {
    const h = home();
    upsertRunSshEntry(h, entry(h, "dev"));
    const text = readFileSync(sshConfigFile(h), "utf8");
    expect(text).toContain(
      [
        "# dstack run dev begin",
        "Host dev-host",
        "  HostName 127.0.0.1",
        "  Port 32768",
        "  User root",
        `  IdentityFile ${h}/.dstack/ssh/id_ed25519`,
        "  IdentitiesOnly yes",
        "  StrictHostKeyChecking no",
        "  UserKnownHostsFile /dev/null",
        "  LogLevel ERROR",
        "Host dev",
        "  HostName 127.0.0.1",
        "  Port 10022",
        "  User root",
        "  ProxyJump dev-host",
      ].join("\n"),
    );
    expect(text).toContain("  ServerAliveInterval 30\n# dstack run dev end\n");
    expect(mode(sshConfigFile(h))).toBe(0o600);
    expect(mode(join(h, ".dstack", "ssh"))).toBe(0o700);
  });

  it("updates and removes one run without touching the others", () => {
    const h = home();
    upsertRunSshEntry(h, entry(h, "a"));
    upsertRunSshEntry(h, entry(h, "b"));
    const withBoth = readFileSync(sshConfigFile(h), "utf8");
    upsertRunSshEntry(h, entry(h, "a", 10023));
    const updated = readFileSync(sshConfigFile(h), "utf8");
    expect(updated.match(/^Host a$/gm)).toHaveLength(1);
    expect(updated).toContain("Port 10023");
    expect(updated).not.toContain("Port 10022\n  User root\n  ProxyJump a-host");
    removeRunSshEntry(h, "a");
    const onlyB = readFileSync(sshConfigFile(h), "utf8");
    expect(onlyB).not.toMatch(/^Host a/m);
    // b's block is byte for byte what it was.
    const blockB = (t: string): string =>
      t.slice(t.indexOf("# dstack run b begin"), t.indexOf("# dstack run b end"));
    expect(blockB(onlyB)).toBe(blockB(withBoth));
    removeRunSshEntry(h, "b");
    removeRunSshEntry(h, "b"); // idempotent
    expect(readFileSync(sshConfigFile(h), "utf8")).not.toContain("Host");
    // No temp files left behind.
    expect(readdirSync(join(h, ".dstack", "ssh"))).toEqual(["config"]);
  });

  it("refuses what would break the file", () => {
    const h = home();
    expect(() => upsertRunSshEntry(h, { ...entry(h, "x"), user: "root\nHost *" })).toThrow(/cannot write/);
    expect(() => upsertRunSshEntry(h, entry(h, "Bad Name"))).toThrow(/not a run name/);
    removeRunSshEntry(h, "x"); // no file: nothing to do
    expect(existsSync(sshConfigFile(h))).toBe(false);
  });
});

describe("ensureSshInclude", () => {
  it("creates ~/.ssh (0700) and its config (0600) with the Include", () => {
    const h = home();
    ensureSshInclude(h);
    expect(readFileSync(join(h, ".ssh", "config"), "utf8")).toBe("Include ~/.dstack/ssh/config\n\n");
    expect(mode(join(h, ".ssh"))).toBe(0o700);
    expect(mode(join(h, ".ssh", "config"))).toBe(0o600);
  });

  it("puts the Include on top of an existing config, once, keeping content and mode", () => {
    const h = home();
    mkdirSync(join(h, ".ssh"), { mode: 0o700 });
    const own = "# mine\nHost github.com\n  User git\n";
    writeFileSync(join(h, ".ssh", "config"), own);
    chmodSync(join(h, ".ssh", "config"), 0o640);
    ensureSshInclude(h);
    ensureSshInclude(h);
    expect(readFileSync(join(h, ".ssh", "config"), "utf8")).toBe(`Include ~/.dstack/ssh/config\n\n${own}`);
    expect(mode(join(h, ".ssh", "config"))).toBe(0o640);
  });

  it("adds a top-level Include when the only one is inside a Host block", () => {
    const h = home();
    mkdirSync(join(h, ".ssh"));
    writeFileSync(join(h, ".ssh", "config"), "Host box\n  Include ~/.dstack/ssh/config\n");
    ensureSshInclude(h);
    expect(readFileSync(join(h, ".ssh", "config"), "utf8")).toMatch(/^Include ~\/.dstack\/ssh\/config\n/);
  });

  it("writes through a symlinked ~/.ssh/config", () => {
    const h = home();
    mkdirSync(join(h, ".ssh"));
    writeFileSync(join(h, "dotfiles-ssh-config"), "Host x\n");
    symlinkSync(join(h, "dotfiles-ssh-config"), join(h, ".ssh", "config"));
    ensureSshInclude(h);
    expect(readFileSync(join(h, "dotfiles-ssh-config"), "utf8")).toBe(
      "Include ~/.dstack/ssh/config\n\nHost x\n",
    );
  });
});

describe("with the real OpenSSH client", () => {
  it("resolves `ssh <run>` to the run's port through <run>-host", () => {
    const h = home();
    mkdirSync(join(h, ".ssh"));
    writeFileSync(join(h, ".ssh", "config"), "Host *\n  ServerAliveInterval 99\n");
    ensureSshInclude(h);
    upsertRunSshEntry(h, entry(h, "other", 10099));
    // A cloud instance: its public address, port 22, and the user its image logs in.
    upsertRunSshEntry(h, {
      ...entry(h, "my-run", 10023),
      instanceHost: "127.0.0.12",
      instancePort: 22,
      instanceUser: "admin",
      user: "ubuntu",
    });
    // `ssh -G` prints the resolved configuration without connecting; HOME makes `~` the temp home.
    const resolved = (host: string): Record<string, string> => {
      const out = execFileSync("ssh", ["-G", "-F", join(h, ".ssh", "config"), host], {
        env: { ...process.env, HOME: h },
        encoding: "utf8",
      });
      return Object.fromEntries(
        out.split("\n").map((line) => [line.split(" ")[0] ?? "", line.slice(line.indexOf(" ") + 1)]),
      );
    };
    const run = resolved("my-run");
    expect(run).toMatchObject({
      hostname: "127.0.0.1",
      port: "10023",
      user: "ubuntu",
      proxyjump: "my-run-host",
      identitiesonly: "yes",
      stricthostkeychecking: "false",
      userknownhostsfile: "/dev/null",
      serveraliveinterval: "30",
    });
    expect(run.identityfile).toBe(join(h, ".dstack", "ssh", "id_ed25519"));
    const host = resolved("my-run-host");
    expect(host).toMatchObject({ hostname: "127.0.0.12", port: "22", user: "admin" });
    expect(resolved("other-host")).toMatchObject({ hostname: "127.0.0.1", port: "32768", user: "root" });
    expect(host.proxyjump).toBeUndefined();
  });
});
