// The compiler's one entry: text in, a normalized Spec and every diagnostic out. Pure: files are read by
// the caller (see load.ts), so tests and benchmarks run it on plain strings.
import { DiagnosticBag, flatLocator, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import type { EnvSources } from "./normalize/env.js";
import type { RawObject } from "./normalize/field.js";
import { normalizeFleet } from "./normalize/fleet.js";
import { joinRunArgs } from "./normalize/interpolation.js";
import type { Layers } from "./normalize/layers.js";
import { normalizeRun } from "./normalize/run.js";
import { normalizeVolume } from "./normalize/volume.js";
import { normalizeOverrides, type RawOverrides } from "./overrides.js";
import { chooseProfile, type ProfileFile } from "./profiles.js";
import type { ConfigurationType } from "./schema/configurations.js";
import { parseYamlSource } from "./source/yaml-source.js";
import type { Spec } from "./spec.js";
import { readType, SCHEMAS, validateShape } from "./validate-shape.js";

export interface CompileInput {
  /** The path shown in diagnostics. */
  file: string;
  text: string;
  /** Profiles files in precedence order: the project's first, then the user's. */
  profiles?: readonly ProfileFile[];
  profile?: string;
  noProfile?: boolean;
  overrides?: RawOverrides;
  env?: EnvSources;
  /** `dstack apply ... -- ARGS`: the value of ${{ run.args }} in commands (default none). */
  runArgs?: readonly string[];
}

export interface CompileResult {
  /** null when there are errors. */
  spec: Spec | null;
  type: ConfigurationType | null;
  diagnostics: Diagnostic[];
  profile: { name: string; file: string } | null;
}

export const COMMAND_LINE = "command line";

export function compile(input: CompileInput): CompileResult {
  const source = parseYamlSource(input.text, input.file);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  const bag = new DiagnosticBag(source.locator);
  const cliBag = new DiagnosticBag(flatLocator(COMMAND_LINE));

  const profile =
    input.noProfile === true ? null : chooseProfile(input.profiles ?? [], input.profile, diagnostics, cliBag);
  const layers: Layers = {
    profile: profile?.layer ?? {},
    cli: normalizeOverrides(input.overrides ?? {}, cliBag),
    env: input.env ?? { cli: [], process: {} },
    cliBag,
    runArgs: joinRunArgs(input.runArgs ?? []),
  };

  let type: ConfigurationType | undefined;
  let spec: Spec | null = null;
  if (!hasErrors(source.diagnostics)) {
    type = readType(source.data, bag);
    if (type !== undefined) {
      const raw = source.data as RawObject;
      validateShape(SCHEMAS[type], raw, bag, [], type);
      spec =
        type === "fleet"
          ? normalizeFleet(raw, bag, layers)
          : type === "volume"
            ? normalizeVolume(raw, bag)
            : normalizeRun(raw, source, bag, layers);
    }
  }
  diagnostics.push(...bag.items, ...cliBag.items);
  const sorted = sortDiagnostics(diagnostics);
  return {
    spec: hasErrors(sorted) ? null : spec,
    type: type ?? null,
    diagnostics: sorted,
    profile: profile === null ? null : { name: profile.name, file: profile.file },
  };
}
