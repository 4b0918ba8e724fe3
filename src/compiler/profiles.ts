// Profiles: `.dstack/profiles.yml` of the project, then `~/.dstack/profiles.yml`. A profile supplies
// placement defaults beneath the configuration; `--profile NAME` picks one, else the `default: true` one.
import { DiagnosticBag, type Diagnostic } from "./diagnostics.js";
import { normalizePlacement, type PlacementLayer } from "./normalize/placement.js";
import { profilesFile } from "./schema/configurations.js";
import { parseYamlSource } from "./source/yaml-source.js";
import { closest } from "./suggest.js";
import { validateShape } from "./validate-shape.js";

export interface ProfileFile {
  file: string;
  text: string;
}

export interface ChosenProfile {
  name: string;
  file: string;
  layer: PlacementLayer;
}

interface LoadedProfile {
  name: string;
  isDefault: boolean;
  index: number;
  raw: Record<string, unknown>;
  bag: DiagnosticBag;
}

function loadFile(source: ProfileFile, diagnostics: Diagnostic[]): LoadedProfile[] {
  const yaml = parseYamlSource(source.text, source.file);
  diagnostics.push(...yaml.diagnostics);
  const bag = new DiagnosticBag(yaml.locator);
  if (yaml.data === undefined || yaml.data === null) return [];
  if (!validateShape(profilesFile, yaml.data, bag)) {
    diagnostics.push(...bag.items);
    return [];
  }
  const list = (yaml.data as { profiles: Record<string, unknown>[] }).profiles;
  const profiles = list.map((raw, index) => ({
    name: String(raw.name),
    isDefault: raw.default === true,
    index,
    raw,
    bag,
  }));
  const defaults = profiles.filter((p) => p.isDefault);
  for (const extra of defaults.slice(1)) {
    bag.warning({
      code: "duplicate",
      path: ["profiles", extra.index, "default"],
      atKey: true,
      message: `more than one default profile; "${defaults[0]!.name}" is used`,
    });
  }
  diagnostics.push(...bag.items);
  return profiles;
}

/**
 * Pick the profile for a compile. Files are in precedence order (project first). Problems in the files
 * go to `diagnostics`; an unknown `--profile` goes to `cliBag`.
 */
export function chooseProfile(
  files: readonly ProfileFile[],
  wanted: string | undefined,
  diagnostics: Diagnostic[],
  cliBag: DiagnosticBag,
): ChosenProfile | null {
  const loaded = files.map((f) => ({ file: f.file, profiles: loadFile(f, diagnostics) }));
  const all = loaded.flatMap((l) => l.profiles.map((p) => ({ ...p, file: l.file })));
  const found = wanted === undefined ? all.find((p) => p.isDefault) : all.find((p) => p.name === wanted);
  if (found === undefined) {
    if (wanted !== undefined) {
      const names = [...new Set(all.map((p) => p.name))];
      const near = closest(wanted, names);
      cliBag.error({
        code: "unknown-profile",
        path: ["--profile"],
        message: `no profile named "${wanted}" in ${files.length === 0 ? "any profiles file" : files.map((f) => f.file).join(" or ")}`,
        hint:
          near !== undefined
            ? `did you mean "${near}"?`
            : names.length > 0
              ? `known profiles: ${names.join(", ")}`
              : "define it under profiles: in .dstack/profiles.yml",
      });
    }
    return null;
  }
  const before = found.bag.items.length;
  const layer = normalizePlacement(found.raw, found.bag, ["profiles", found.index]);
  diagnostics.push(...found.bag.items.slice(before));
  return { name: found.name, file: found.file, layer };
}
