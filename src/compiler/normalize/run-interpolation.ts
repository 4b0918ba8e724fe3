// Interpolation applied to a run's fields (see interpolation.ts for what each field may hold): env
// values and task commands are stored resolved; registry_auth is resolved from env; volume names keep
// their per-node expressions (resolved per node in src/runs/job-spec.ts) and are only checked here.
import type { DiagnosticBag, Path } from "../diagnostics.js";
import type { EnvDeclaration } from "../grammar/env.js";
import type { VolumeMount } from "../grammar/volumes.js";
import { reveal, Secret, type MaybeSecret } from "../secret.js";
import {
  commandsScope,
  ENV_SCOPE,
  interpolateField,
  registryAuthScope,
  VOLUME_SCOPE,
} from "./interpolation.js";

const COMMANDS_ALLOWED =
  "commands may use ${{ run.args }}, ${{ secrets.NAME }}, and with groups ${{ groups[i].nodes[j].IP_ADDRESS }}";

/** Values written in the file, as dstack's server reads them (`$$` is `$`); -e and process values stay. */
export function interpolateEnv(
  declarations: readonly EnvDeclaration[],
  bag: DiagnosticBag,
): EnvDeclaration[] {
  return declarations.map((d) => {
    if (d.value === null) return d;
    const value = interpolateField(d.value, ENV_SCOPE, bag, ["env", d.key], {
      allowed: "env values may use ${{ secrets.NAME }}",
      secrets: "warn-no-store",
    });
    return { ...d, value: value ?? d.value };
  });
}

export function interpolateCommands(
  commands: readonly string[],
  bag: DiagnosticBag,
  base: Path,
  runArgs: string,
  groups: readonly number[] | null,
): string[] {
  const scope = commandsScope(runArgs);
  return commands.map(
    (c, i) =>
      interpolateField(c, scope, bag, [...base, i], {
        allowed: COMMANDS_ALLOWED,
        groups,
        secrets: "warn-commands",
        shell: true,
      }) ?? c,
  );
}

/** dstack resolves ${{ env.NAME }} in registry_auth on the client, from the run's env. */
export function interpolateRegistryAuth(
  auth: { username: string; password: Secret } | null,
  env: Readonly<Record<string, MaybeSecret>>,
  bag: DiagnosticBag,
): { username: string; password: Secret } | null {
  if (auth === null) return null;
  const values = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, reveal(v)]));
  const scope = registryAuthScope(values);
  const rules = {
    allowed: "registry_auth may use ${{ env.NAME }} (a variable of env) and ${{ secrets.NAME }}",
    secrets: "warn-no-store" as const,
  };
  const username = interpolateField(auth.username, scope, bag, ["registry_auth", "username"], rules);
  const password = interpolateField(auth.password.reveal(), scope, bag, ["registry_auth", "password"], {
    ...rules,
    secret: true,
  });
  return {
    username: username ?? auth.username,
    password: password === undefined ? auth.password : new Secret(password),
  };
}

export function checkVolumeNames(volumes: readonly VolumeMount[], bag: DiagnosticBag): void {
  volumes.forEach((v, i) => {
    if (v.kind !== "network") return;
    for (const name of v.name)
      interpolateField(name, VOLUME_SCOPE, bag, ["volumes", i], {
        allowed: "volume names may use ${{ dstack.node_rank }} and ${{ dstack.job_num }}",
      });
  });
}
