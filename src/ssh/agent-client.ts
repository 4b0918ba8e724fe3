// The CLI's client of the runtime agent: HTTP over an SSH channel to the agent's 127.0.0.1 port, with
// the API version header the agent checks.
import { request } from "node:http";
import type { Duplex } from "node:stream";
import type { Client } from "ssh2";
import { AGENT_API_VERSION } from "../runtime-agent/version.js";

export interface AgentResponse {
  status: number;
  body: unknown;
}

function channel(client: Client, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, "127.0.0.1", port, (error, stream) =>
      error === undefined ? resolve(stream) : reject(error),
    );
  });
}

export async function agentRequest(
  client: Client,
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<AgentResponse> {
  const stream = await channel(client, port);
  // A Buffer body is sent as is (the repository archive, gzip); anything else as JSON.
  const raw = Buffer.isBuffer(body);
  const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        path,
        createConnection: () => stream,
        headers: {
          "X-Dstack-Api-Version": AGENT_API_VERSION,
          ...(payload === undefined
            ? {}
            : {
                "Content-Type": raw ? "application/gzip" : "application/json",
                "Content-Length": payload.length,
              }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        // The channel may close mid-answer (the instance went away): fail, never hang.
        res.on("error", reject);
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
