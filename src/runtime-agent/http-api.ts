// The agent's HTTP API (PROTOCOL.md): JSON, versioned by the X-Dstack-Api-Version header, 127.0.0.1 only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Agent } from "./agent.js";
import { authorizeKeys } from "./authorized-keys.js";
import { isObject } from "./fields.js";
import { HttpError, readJson, sendJson } from "./http-util.js";
import { errorText, log } from "./log.js";
import { selfStopView, touch } from "./self-stop.js";
import { parseBuildSpec } from "./build-spec.js";
import { parseJobSpec } from "./spec.js";
import { AGENT_API_VERSION, API_VERSION_HEADER, checkApiVersion } from "./version.js";

const ROUTE = /^\/api\/(runs|builds)(?:\/([a-z0-9-]+)(?:\/(stop|repo|logs))?)?$/;

export function createApiServer(agent: Agent, startedAt: number): Server {
  return createServer((req, res) => {
    handle(agent, startedAt, req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, "internal", errorText(err));
      if (e.status === 500) log(`${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) sendJson(res, e.status, { code: e.code, error: e.message });
      else res.destroy();
    });
  });
}

async function handle(
  agent: Agent,
  startedAt: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const refusal = checkApiVersion(req.headers[API_VERSION_HEADER] as string | undefined);
  if (refusal) {
    req.resume();
    return sendJson(res, refusal.status, refusal.body);
  }
  const url = new URL(req.url ?? "/", "http://agent");
  const method = req.method ?? "GET";
  if (url.pathname === "/api/health" && method === "GET") {
    return sendJson(res, 200, {
      api_version: AGENT_API_VERSION,
      instance_name: agent.ctx.config.instance_name,
      uptime_seconds: Math.floor((agent.ctx.now() - startedAt) / 1000),
      runs: Object.keys(agent.ctx.state.runs).length,
    });
  }
  if (url.pathname === "/api/instance") {
    // The instance's idle teardown backstop: what the agent will do, and a CLI's claim (PUT), which
    // restarts the idle clock and may change the idle_duration (a run reusing the instance).
    if (method === "GET")
      return sendJson(res, 200, selfStopView(agent.ctx.config.idle_duration_s, agent.ctx.state));
    if (method === "PUT") return sendJson(res, 200, touch(agent.ctx, readIdle(await readJson(req))));
    throw new HttpError(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}`);
  }
  if (url.pathname === "/api/authorized-keys" && method === "POST")
    return sendJson(res, 200, authorizeKeys(await readJson(req)));
  const m = ROUTE.exec(url.pathname);
  if (!m) throw new HttpError(404, "not_found", `no endpoint ${method} ${url.pathname}`);
  const [, kind, name = "", action] = m;
  const key = `${method} ${kind}${m[2] ? ":name" : ""}${action ? `/${action}` : ""}`;
  const since = () => Number(url.searchParams.get("since") ?? 0) || 0;
  const gzip = () =>
    /gzip/.test(`${req.headers["content-encoding"] ?? ""} ${req.headers["content-type"] ?? ""}`);
  switch (key) {
    case "GET runs":
      return sendJson(res, 200, agent.list());
    case "POST runs": {
      const parsed = parseJobSpec(await readJson(req));
      if ("errors" in parsed) throw new HttpError(422, "invalid_spec", parsed.errors.join("; "));
      return sendJson(res, 201, await agent.submit(parsed.spec));
    }
    case "GET runs:name":
      return sendJson(res, 200, agent.view(name));
    case "PATCH runs:name":
      return sendJson(res, 200, agent.update(name, readLimits(await readJson(req))));
    case "POST runs:name/stop":
      return sendJson(res, 200, await agent.stop(name));
    case "PUT runs:name/repo":
      return sendJson(res, 200, await agent.uploadRepo(name, req, gzip()));
    case "GET runs:name/logs":
      return sendJson(res, 200, await agent.logs(name, since()));
    case "GET builds":
      return sendJson(res, 200, agent.builder.list());
    case "POST builds": {
      const parsed = parseBuildSpec(await readJson(req));
      if ("errors" in parsed) throw new HttpError(422, "invalid_spec", parsed.errors.join("; "));
      return sendJson(res, 201, agent.builder.submit(parsed.spec));
    }
    case "GET builds:name":
      return sendJson(res, 200, agent.builder.view(name));
    case "PUT builds:name/repo":
      return sendJson(res, 200, await agent.builder.uploadRepo(name, req, gzip()));
    case "GET builds:name/logs":
      return sendJson(res, 200, await agent.builder.logs(name, since()));
  }
  throw new HttpError(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}`);
}

function readIdle(body: unknown): number | null | undefined {
  if (!isObject(body)) throw new HttpError(400, "invalid_body", "expected a JSON object");
  const v = body.idle_duration_s;
  if (v === undefined || v === null) return v;
  if (typeof v !== "number" || v < 0)
    throw new HttpError(422, "invalid_body", "idle_duration_s: expected seconds >= 0 or null");
  return v;
}

function readLimits(body: unknown): { inactivity_duration?: number | null; max_duration?: number | null } {
  if (!isObject(body)) throw new HttpError(400, "invalid_body", "expected a JSON object");
  const out: { inactivity_duration?: number | null; max_duration?: number | null } = {};
  for (const k of ["inactivity_duration", "max_duration"] as const) {
    const v = body[k];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== "number" || v < 0)) {
      throw new HttpError(422, "invalid_patch", `${k}: expected seconds >= 0 or null`);
    }
    out[k] = v;
  }
  return out;
}
