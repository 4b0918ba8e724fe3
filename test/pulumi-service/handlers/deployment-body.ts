// Checking a deployment a client sends (create with state, import, checkpoints): apitype.UntypedDeployment,
// i.e. a schema version the CLI knows and the state as an object. Its content is the engine's business.
import { badRequest } from "../errors.js";
import type { UntypedDeployment } from "../model.js";

export function readDeployment(value: unknown): UntypedDeployment {
  const d = value as Partial<UntypedDeployment> | null;
  if (d === null || typeof d !== "object" || !Number.isInteger(d.version) || (d.version ?? 0) < 1)
    throw badRequest("the deployment needs an integer 'version' of at least 1");
  if (d.deployment === null || typeof d.deployment !== "object" || Array.isArray(d.deployment))
    throw badRequest("the deployment needs a 'deployment' object");
  return {
    version: d.version ?? 3,
    ...(Array.isArray(d.features) && d.features.length > 0 ? { features: d.features } : {}),
    deployment: d.deployment,
  };
}
