// `ports`: `8080` (same port locally), `80:8080` (local:container), `*:8080` (any free local port).
import { fail, ok, type Parsed } from "./result.js";

export interface PortMapping {
  /** Local port the CLI forwards from; null = any free port. */
  local: number | null;
  container: number;
}

const MAPPING = /^(?:(\d+|\*):)?(\d+)$/;
const EXAMPLE = "8080, 80:8080 or *:8080";

export function parsePort(raw: unknown): Parsed<PortMapping> {
  if (typeof raw === "number") {
    const only = port(raw);
    return only.ok ? ok({ local: only.value, container: only.value }) : only;
  }
  if (typeof raw !== "string") return fail("expected a port or a mapping", `e.g. ${EXAMPLE}`);
  const match = MAPPING.exec(raw.trim());
  if (match === null) return fail(`"${raw}" is not a port mapping`, `e.g. ${EXAMPLE}`);
  const container = port(Number(match[2]));
  if (!container.ok) return container;
  if (match[1] === undefined) return ok({ local: container.value, container: container.value });
  if (match[1] === "*") return ok({ local: null, container: container.value });
  const local = port(Number(match[1]));
  if (!local.ok) return local;
  return ok({ local: local.value, container: container.value });
}

function port(n: number): Parsed<number> {
  if (!Number.isInteger(n) || n < 1 || n > 65535) return fail(`${n} is not a port number (1 to 65535)`);
  return ok(n);
}
