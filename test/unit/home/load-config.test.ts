// config.yml has one owner: every reader that provisions (local settings, network settings, configured
// backends) refuses a broken file the same way, with FILE:LINE:COL for each error; absent is fine.
// And ~/.dstack has one owner: no other source file names a path under it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { networkSettings } from "../../../src/generate/network-settings.js";
import { loadDstackConfig } from "../../../src/home/load-config.js";
import { configuredBackends } from "../../../src/pools/configured-backends.js";
import { localSettings } from "../../../src/pools/local/local-settings.js";

function homeWith(config?: string): string {
  const home = mkdtempSync(join(tmpdir(), "dstack-config-"));
  if (config !== undefined) {
    mkdirSync(join(home, ".dstack"));
    writeFileSync(join(home, ".dstack", "config.yml"), config);
  }
  return home;
}

function refusal(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("loadDstackConfig", () => {
  it("absent: no backends, no error", () => {
    const home = homeWith();
    expect(loadDstackConfig(home)).toMatchObject({ present: false, backends: [] });
    expect(configuredBackends(home).types).toEqual(["local"]);
    expect(localSettings(home)).toEqual({ zones: [] });
    expect(networkSettings(home)("aws")).toEqual({});
  });

  it("every provisioning reader refuses a broken config.yml with the same error, each problem at FILE:LINE:COL", () => {
    const home = homeWith("backends:\n  - type: aws\n    regions: us-east-1\n  - type: gpc\n");
    const file = join(home, ".dstack", "config.yml");
    const errors = [
      refusal(() => loadDstackConfig(home)),
      refusal(() => localSettings(home)),
      refusal(() => networkSettings(home)),
      refusal(() => configuredBackends(home)),
    ];
    for (const error of errors) {
      expect(error.code).toBe("config");
      expect(error.message).toBe(errors[0]!.message);
      expect(error.hint).toBe("fix it (`dstack doctor` checks it too)");
    }
    expect(errors[0]!.message).toBe(
      [
        `${file} has 2 errors:`,
        `  ${file}:3:14: error: backends[0].regions: expected a list of region names`,
        "    hint: write `regions: [us-east-1, us-west-2]`",
        `  ${file}:4:11: error: backends[1].type: unknown backend type "gpc"`,
        '    hint: did you mean "gcp"?',
      ].join("\n"),
    );
  });

  it("a YAML syntax error is refused with its position too", () => {
    const home = homeWith("backends:\n  - type: aws\n   regions: [x\n");
    expect(refusal(() => configuredBackends(home)).message).toMatch(
      new RegExp(
        `^${join(home, ".dstack", "config.yml")} has (an error|\\d+ errors):\\n  .*config\\.yml:\\d+:\\d+: error: `,
      ),
    );
  });

  it("warnings do not stop anything", () => {
    const home = homeWith("backends:\n  - type: aws\n    regoins: [us-east-1]\n");
    expect(configuredBackends(home).types).toEqual(["aws"]);
  });
});

describe("~/.dstack paths", () => {
  const ROOT = resolve(import.meta.dirname, "../../..");
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith(".ts") ? [path] : [];
    });

  it('are named only in src/home/paths.ts (the project\'s own ".dstack" folder aside)', () => {
    const naming = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "cli"))]
      .filter((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .some((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && /["'`]\.dstack["'`/]/.test(line)),
      )
      .map((file) => relative(ROOT, file));
    // compiler/load.ts: the project's .dstack/profiles.yml, found upward from the configuration.
    expect(naming.sort()).toEqual(["src/compiler/load.ts", "src/home/paths.ts"]);
  });
});
