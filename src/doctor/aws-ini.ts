// The AWS shared config and credentials files are INI: `[section]` then `key = value` lines. In the
// config file a named profile is `[profile NAME]` (and `[default]`); in the credentials file it is `[NAME]`.

export type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header !== null) {
      const name = header[1]!;
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (current !== undefined && eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** Profile names of a config file (`[default]`, `[profile x]`) or a credentials file (`[x]`). */
export function profileNames(sections: IniSections, kind: "config" | "credentials"): string[] {
  const names: string[] = [];
  for (const name of sections.keys()) {
    if (kind === "credentials") names.push(name);
    else if (name === "default") names.push(name);
    else if (name.startsWith("profile ")) names.push(name.slice("profile ".length).trim());
  }
  return names;
}

/** The settings of a profile in a config file. */
export function configProfile(sections: IniSections, profile: string): Map<string, string> | undefined {
  return sections.get(profile === "default" ? "default" : `profile ${profile}`) ?? sections.get(profile);
}
