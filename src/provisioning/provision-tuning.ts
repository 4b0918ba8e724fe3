// Provisioning knobs read from the environment: the per-attempt deadline, and a scale on every wait of
// the retry schedule. Both are testing aids (README): the defaults are what real clouds need.
import { parseDuration } from "../compiler/grammar/units.js";
import { UserError } from "../errors.js";

export interface ProvisionTuning {
  attemptTimeoutMs: number;
  backoffScale: number;
}

/** The Terraform-bridged AWS provider may retry a capacity error for ~50 minutes: cut it at 10. */
export const DEFAULT_ATTEMPT_TIMEOUT_S = 600;

export function provisionTuning(env: Readonly<Record<string, string | undefined>>): ProvisionTuning {
  let attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_S * 1000;
  const timeout = env.DSTACK_ATTEMPT_TIMEOUT;
  if (timeout !== undefined && timeout !== "") {
    const parsed = parseDuration(timeout, false);
    if (!parsed.ok || parsed.value === "off" || parsed.value === 0)
      throw new UserError(
        "invalid-env",
        `DSTACK_ATTEMPT_TIMEOUT=${timeout} is not a positive duration`,
        "write e.g. 90s, 10m, or a number of seconds",
      );
    attemptTimeoutMs = parsed.value * 1000;
  }
  let backoffScale = 1;
  const scale = env.DSTACK_BACKOFF_SCALE;
  if (scale !== undefined && scale !== "") {
    backoffScale = Number(scale);
    if (!Number.isFinite(backoffScale) || backoffScale <= 0)
      throw new UserError(
        "invalid-env",
        `DSTACK_BACKOFF_SCALE=${scale} is not a positive number`,
        "e.g. 0.01 turns the 15s first wait into 150ms",
      );
  }
  return { attemptTimeoutMs, backoffScale };
}
