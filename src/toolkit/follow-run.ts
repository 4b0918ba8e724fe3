// A run's output through the session's host: `logs` (what it printed so far) and `attach` (port forwards
// and logs until it ends or the user detaches). Logs are `run.log` messages carrying raw text.
import type { RunView } from "../runtime-agent/run-view.js";
import { attach } from "../runs/attach.js";
import type { RunRecord } from "../runs/store.js";
import { ensureClientKey } from "../ssh/keys.js";
import type { IoHost } from "./io-host.js";
import { openAgent } from "./run-access.js";

export const runLog = (io: IoHost, run: string, text: string): void =>
  io.notify({ code: "run.log", level: "result", text, data: { run } });

export async function printLogs(home: string, io: IoHost, record: RunRecord): Promise<void> {
  const session = await openAgent(home, record);
  try {
    let offset = 0;
    for (;;) {
      const logs = await session.logs(record.name, offset);
      if (logs.text === "") break;
      runLog(io, record.name, logs.text);
      offset = logs.next_offset;
    }
  } finally {
    session.close();
  }
}

/** Returns the run's last view when it ended, or undefined when the user detached. */
export async function followRun(
  home: string,
  io: IoHost,
  record: RunRecord,
  signal: AbortSignal,
): Promise<RunView | undefined> {
  const ended = await attach(record, {
    privateKey: ensureClientKey(home).privateKey,
    signal,
    onLog: (text) => runLog(io, record.name, text),
    onForward: (local, container) =>
      io.notify({
        code: "port.forward",
        level: "info",
        text: `Forwarding 127.0.0.1:${local} -> ${record.name}:${container}`,
        data: { run: record.name, local, container },
      }),
  });
  if (ended !== undefined)
    io.notify({
      code: "run.status",
      level: "debug",
      text: `${record.name} ${ended.status}`,
      data: {
        run: record.name,
        status: ended.status,
        stop_reason: ended.stop_reason,
        exit_code: ended.exit_code,
      },
    });
  return ended;
}
