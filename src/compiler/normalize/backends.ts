// `backends:` may name any backend dstack has: a file written for dstack must not be rejected because it
// lists kubernetes or runpod. Names this project does not provision stay in the spec (so an apply can say
// which were asked for) and are warned about here; a name that is no backend at all is an error, with
// "did you mean".
import type { DiagnosticBag, Path } from "../diagnostics.js";
import {
  BACKENDS,
  DSTACK_BACKENDS,
  isSupportedBackend,
  type Backend,
  type BackendName,
} from "../schema/backends.js";
import type { PlacementSpec } from "../spec.js";
import { closest } from "../suggest.js";

/** The names as written when each is a dstack backend; else undefined, with an error per bad name. */
export function checkBackends(
  names: readonly string[],
  bag: DiagnosticBag,
  path: Path,
  where: "file" | "flag" = "file",
): BackendName[] | undefined {
  let ok = true;
  names.forEach((name, i) => {
    if ((DSTACK_BACKENDS as readonly string[]).includes(name)) return;
    ok = false;
    const near = closest(name, DSTACK_BACKENDS);
    bag.error({
      code: "invalid-value",
      path: where === "file" ? [...path, i] : path,
      message: `"${name}" is not a dstack backend`,
      hint:
        near === undefined
          ? `this project provisions ${BACKENDS.join(", ")}; dstack also knows ${otherBackends().join(", ")}`
          : `did you mean "${near}"?`,
    });
  });
  if (!ok) return undefined;
  const unsupported = names.filter((n) => !isSupportedBackend(n));
  if (unsupported.length > 0) {
    const none = unsupported.length === names.length;
    bag.warning({
      code: "unsupported-backend",
      path,
      atKey: where === "file",
      message:
        `${unsupported.join(", ")} ${unsupported.length === 1 ? "is a dstack backend" : "are dstack backends"} ` +
        `this project does not provision; ${none ? "no offer can match, so apply will fail" : "offers come only from the others"}`,
      hint: `this project provisions ${BACKENDS.join(", ")}`,
    });
  }
  return [...names] as BackendName[];
}

function otherBackends(): string[] {
  return DSTACK_BACKENDS.filter((b) => !isSupportedBackend(b));
}

/** The allowed backends this project can provision; null when the spec allows every backend. */
export function supportedBackends(spec: Pick<PlacementSpec, "backends">): Backend[] | null {
  return spec.backends === null ? null : spec.backends.filter(isSupportedBackend);
}

/** The allowed backends this project does not provision (empty when none are named). */
export function unsupportedIn(spec: Pick<PlacementSpec, "backends">): BackendName[] {
  return spec.backends === null ? [] : spec.backends.filter((b) => !isSupportedBackend(b));
}

/**
 * Why nothing can be provisioned when every allowed backend is one this project does not provision
 * (`backends: [kubernetes]`); undefined when at least one is supported or none is named.
 */
export function noSupportedBackend(
  spec: Pick<PlacementSpec, "backends">,
): { message: string; hint: string } | undefined {
  const supported = supportedBackends(spec);
  if (supported === null || supported.length > 0) return undefined;
  const asked = unsupportedIn(spec);
  return {
    message: `backends: ${asked.join(", ")} ${asked.length === 1 ? "is" : "are"} not provisioned here, and no other backend is allowed`,
    hint: `this project provisions ${BACKENDS.join(", ")}: add one of them to backends (or remove backends to allow all)`,
  };
}
