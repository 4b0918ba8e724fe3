// The container script: valid POSIX sh, quoting that survives any text, and the task/dev-env behaviour
// (the commands part is executed for real with dash; the sshd part is checked as text, never run here).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildContainerScript, mainPart, shq } from "../../../src/runtime-agent/script.js";
import { jobSpec } from "./helpers.js";

const HARNESS = 'log() { echo "dstack: $*" >&2; }\n';

function runMain(script: string, args: string[] = []): { code: number | null; out: string; err: string } {
  const r = spawnSync("sh", ["-c", HARNESS + script, "dstack-run", ...args], {
    encoding: "utf8",
    cwd: "/tmp",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** "gone", or the state letter from /proc (a zombie "Z" has ended but waits for an init that reaps). */
function processState(pid: number): string {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "gone";
  } catch {
    return "gone";
  }
}

describe("shq", () => {
  it("quotes any text so that sh reads it back unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
        (s) => execFileSync("sh", ["-c", `printf %s ${shq(s)}`], { encoding: "utf8" }) === s,
      ),
      { numRuns: 60 },
    );
  });
});

describe("buildContainerScript", () => {
  it("is valid sh for both kinds", () => {
    for (const kind of ["dev-environment", "task"] as const) {
      const script = buildContainerScript(
        jobSpec({ kind, init: ["pip install x"], commands: ["python a.py"] }),
        10023,
      );
      expect(spawnSync("sh", ["-n", "-c", script]).status).toBe(0);
    }
  });

  it("configures sshd on the run's port, with the keys quoted and sessions in the working dir", () => {
    const spec = jobSpec({
      ssh_authorized_keys: ["ssh-ed25519 AAA a'b", "ssh-rsa BBB"],
      working_dir: "/workflow/sub dir",
    });
    const script = buildContainerScript(spec, 10025);
    expect(script).toContain("Port 10025\n");
    expect(script).toContain(`printf '%s\\n' 'ssh-ed25519 AAA a'\\''b' 'ssh-rsa BBB' > "$D/authorized_keys"`);
    expect(script).toContain("ForceCommand /bin/sh $D/session.sh");
    expect(script).toContain("PasswordAuthentication no");
    expect(script).toContain("cd '/workflow/sub dir' || exit 1");
    expect(script).toMatch(/apt-get install -y .*openssh-server/);
    expect(script).toContain("apk add --no-cache openssh");
  });

  it("a dev environment without sshd fails with a clear log line; a task carries on", () => {
    const dev = buildContainerScript(jobSpec({ image: "alpine:3" }), 10022);
    expect(dev).toMatch(
      /ERROR: sshd is missing in image alpine:3 and could not be installed.*\n {2}exit 1\n/,
    );
    const task = buildContainerScript(jobSpec({ kind: "task", commands: ["true"] }), 10022);
    expect(task).toMatch(/could not be installed.*\n {2}:\n/);
  });
});

describe("mainPart, executed", () => {
  it("a task runs its commands in order and exits with their exit code", () => {
    const r = runMain(
      mainPart(jobSpec({ kind: "task", commands: ["echo one", "echo two >&2", "exit 3", "echo never"] })),
    );
    expect(r).toEqual({ code: 3, out: "one\n", err: "two\ndstack: commands exited with code 3\n" });
  });

  it("a task without commands exits 0", () => {
    expect(runMain(mainPart(jobSpec({ kind: "task", commands: [] }))).code).toBe(0);
  });

  it("a failing init ends a dev environment with its code", () => {
    const r = runMain(mainPart(jobSpec({ init: ["echo setting up", "false"] })));
    expect(r.code).toBe(1);
    expect(r.err).toContain("dstack: init failed with exit code 1");
  });

  it("a custom entrypoint runs the joined commands", () => {
    const r = runMain(mainPart(jobSpec({ kind: "task", entrypoint: "/bin/sh -c", commands: ["echo $0-x"] })));
    expect(r.out).toBe("/bin/sh-x\n");
  });

  it("a dev environment stays up after init, and SIGTERM (docker stop) ends it at once", async () => {
    const script = mainPart(jobSpec({ init: ["echo ready-now"] }));
    expect(script).toContain("tail -f /dev/null & child=$!");
    const traced = script.replace("/dev/null & child=$!", '/dev/null & child=$!; echo "idle=$child" >&2');
    const r = spawnSync("sh", ["-c", HARNESS + traced], { encoding: "utf8", timeout: 700 });
    expect(r.status).toBe(143); // still running when the timeout's SIGTERM came, then exited through the trap
    expect(r.stdout).toBe("ready-now\n");
    const idle = Number(/idle=(\d+)/.exec(r.stderr)?.[1]);
    expect(idle).toBeGreaterThan(0);
    await expect.poll(() => processState(idle), { timeout: 2000 }).toMatch(/^(gone|Z)/); // the idle child ended too
  });
});

describe("a task without commands", () => {
  it("runs the image's own command (the script's arguments) and exits with its code", () => {
    const main = mainPart(jobSpec({ kind: "task", commands: [] }));
    const r = runMain(main, ["sh", "-c", "echo from-image; exit 3"]);
    expect([r.code, r.out.trim()]).toEqual([3, "from-image"]);
    expect(r.err).toContain("the image command exited with code 3");
  });

  it("ends at once when the image has no command either", () => {
    const r = runMain(mainPart(jobSpec({ kind: "task", commands: [] })));
    expect(r.code).toBe(0);
    expect(r.err).toContain("nothing to run");
  });
});
