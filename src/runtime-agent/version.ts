// API versioning: every request names the API version it speaks in X-Dstack-Api-Version (MAJOR.MINOR).
// Same major: accepted (minors only add optional fields). Another major: refused with 426, naming both.

// 1.1: image builds (/api/builds). 1.2: teammates' keys (POST /api/authorized-keys).
export const AGENT_API_VERSION = "1.2";
export const API_VERSION_HEADER = "x-dstack-api-version";

export interface VersionRefusal {
  status: 400 | 426;
  body: { code: string; error: string; client_version?: string; agent_version: string };
}

export function parseVersion(text: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** null when the request may proceed, else the refusal to send. */
export function checkApiVersion(
  header: string | undefined,
  agent = AGENT_API_VERSION,
): VersionRefusal | null {
  const agentMajor = (parseVersion(agent) ?? [0])[0];
  if (header === undefined || header === "") {
    return refusal(400, "api_version_missing", `missing header X-Dstack-Api-Version (agent speaks ${agent})`);
  }
  const v = parseVersion(header);
  if (!v)
    return refusal(400, "api_version_invalid", `X-Dstack-Api-Version must be MAJOR.MINOR, got "${header}"`);
  if (v[0] === agentMajor) return null;
  const fix = v[0] > agentMajor ? "update the agent on the instance" : "update the dstack CLI";
  return refusal(
    426,
    "api_version_unsupported",
    `API version ${header} is not supported by agent API ${agent}: ${fix}`,
    header,
  );

  function refusal(status: 400 | 426, code: string, error: string, client?: string): VersionRefusal {
    return {
      status,
      body: { code, error, ...(client ? { client_version: client } : {}), agent_version: agent },
    };
  }
}
