// The CLI's IoHost: the terminal text dstack always printed (progress on stderr, run logs on stdout, on
// stderr under --json so stdout keeps one document), time stamps in background logs, and with
// DSTACK_PROGRESS=json one JSON object per line on stderr.
import { describe, expect, it } from "vitest";
import { createCliIoHost, progressFormat, type CliIoOptions } from "../../cli/io-host.js";
import { main } from "../../cli/main.js";
import { createOutput } from "../../cli/output.js";

function host(options: Partial<CliIoOptions> = {}): {
  io: ReturnType<typeof createCliIoHost>;
  stdout: string[];
  stderr: string[];
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = createOutput(
    { stdout: { write: (c: string) => stdout.push(c) }, stderr: { write: (c: string) => stderr.push(c) } },
    {},
  );
  const io = createCliIoHost(out, {
    json: false,
    progress: "text",
    yes: false,
    signal: new AbortController().signal,
    timestamps: false,
    debug: false,
    now: () => new Date("2026-12-05T12:00:00.000Z"),
    ...options,
  });
  return { io, stdout, stderr };
}

describe("the CLI IoHost, as text", () => {
  it("puts progress on stderr and hides debug", () => {
    const { io, stdout, stderr } = host();
    io.notify({ code: "recovery.cleaned", level: "warn", text: "Cleaned up after an interrupted dstack" });
    io.notify({ code: "provision.attempt", level: "debug", text: "attempt 1" });
    io.notify({ code: "plan.diff", level: "info", text: "+ create instance" });
    io.notify({ code: "plan.offers", level: "warn", text: "No offers." });
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      "Cleaned up after an interrupted dstack\n",
      "+ create instance\n",
      "No offers.\n",
    ]);
  });

  it("writes run logs raw on stdout, and on stderr under --json", () => {
    const plain = host();
    plain.io.notify({ code: "run.log", level: "result", text: "partial line" });
    expect(plain.stdout).toEqual(["partial line"]);
    const json = host({ json: true });
    json.io.notify({ code: "run.log", level: "result", text: "hello\n" });
    expect(json.stdout).toEqual([]);
    expect(json.stderr).toEqual(["hello\n"]);
  });

  it("stamps every line of a background process with the time", () => {
    const { io, stderr } = host({ timestamps: true });
    io.notify({ code: "reaper.destroyed", level: "info", text: "destroyed idle instance local-ab12cd" });
    expect(stderr).toEqual(["2026-12-05T12:00:00.000Z destroyed idle instance local-ab12cd\n"]);
  });
});

describe("the CLI IoHost, as JSON lines (DSTACK_PROGRESS=json)", () => {
  it("writes one object per message on stderr, run logs included, and nothing on stdout", () => {
    const { io, stdout, stderr } = host({ progress: "json", json: true });
    io.notify({
      code: "provision.attempt",
      level: "debug",
      text: "attempt 1 (pass 1): local local zone-a",
      data: { pass: 1, attempts: 1 },
    });
    io.notify({ code: "run.log", level: "result", text: "hello\n", data: { run: "t" } });
    io.notify({ code: "stack.notice", level: "warn", text: "removed a stale lock" });
    expect(stdout).toEqual([]);
    expect(stderr.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
    expect(stderr.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        time: "2026-12-05T12:00:00.000Z",
        level: "debug",
        code: "provision.attempt",
        text: "attempt 1 (pass 1): local local zone-a",
        data: { pass: 1, attempts: 1 },
      },
      {
        time: "2026-12-05T12:00:00.000Z",
        level: "result",
        code: "run.log",
        text: "hello\n",
        data: { run: "t" },
      },
      { time: "2026-12-05T12:00:00.000Z", level: "warn", code: "stack.notice", text: "removed a stale lock" },
    ]);
  });

  it("is chosen by DSTACK_PROGRESS=json only", () => {
    expect(progressFormat({ DSTACK_PROGRESS: "json" })).toBe("json");
    expect(progressFormat({})).toBe("text");
  });
});

describe("the CLI IoHost's questions", () => {
  it("-y answers yes without asking; otherwise the terminal (here a stand-in) is asked", async () => {
    const asked: string[] = [];
    const ask = (q: string): Promise<boolean> => (asked.push(q), Promise.resolve(false));
    expect(await host({ yes: true, ask }).io.confirm("Stop the run x?")).toBe(true);
    expect(await host({ ask }).io.confirm("Stop the run x?")).toBe(false);
    expect(asked).toEqual(["Stop the run x?"]);
  });
});

describe("a failed command under DSTACK_PROGRESS=json", () => {
  it("ends with one command.failed line carrying the error's code, hint and exit code", async () => {
    const stderr: string[] = [];
    const out = createOutput(
      { stdout: { write: () => true }, stderr: { write: (c: string) => stderr.push(c) } },
      {},
    );
    expect(await main(["stpo"], out, { DSTACK_PROGRESS: "json" })).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(JSON.parse(stderr[0]!)).toMatchObject({
      level: "error",
      code: "command.failed",
      text: 'unknown command "stpo"',
      data: { error: "usage", hint: 'did you mean "dstack stop"?', exit_code: 2 },
    });
  });
});
