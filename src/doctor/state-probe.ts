// Facts about the Pulumi state backend dstack would use (src/engine/state-backend.ts). Like every
// command, resolving it creates the default state folder and the generated passphrase file when absent.
// The passphrase itself is never read into the probe's result.
import { unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveStateBackend, type StateBackend } from "../engine/state-backend.js";

export interface StateProbe {
  /** The backend URL with any password in it masked. */
  url: string;
  kind: StateBackend["kind"] | undefined;
  passphraseSource: StateBackend["passphraseSource"] | undefined;
  /** Which variable holds the passphrase, when it comes from the environment. */
  passphraseVariable: string | undefined;
  /** For a file backend: can we create a file in its folder. */
  writable: boolean | undefined;
  /** Why resolving failed (a folder that cannot be created), else undefined. */
  failure: string | undefined;
  /** For Pulumi Cloud: whether a token is configured (PULUMI_ACCESS_TOKEN or ~/.pulumi/credentials.json). */
  cloudToken: boolean | undefined;
}

export interface StateProbeInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  backendUrl?: string;
  fileExists: (path: string) => boolean;
}

/** Masks `user:password@` in a URL; leaves anything unparsable as it is. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

function canWrite(dir: string): boolean {
  const probe = join(dir, `.dstack-doctor-${process.pid}`);
  try {
    writeFileSync(probe, "", { flag: "wx" });
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

export function probeState({ env, home, backendUrl, fileExists }: StateProbeInput): StateProbe {
  const requested = backendUrl ?? env.DSTACK_BACKEND_URL ?? "";
  try {
    const backend = resolveStateBackend({ home, env, ...(backendUrl === undefined ? {} : { backendUrl }) });
    const passphraseVariable =
      backend.passphraseSource !== "environment"
        ? undefined
        : env.PULUMI_CONFIG_PASSPHRASE !== undefined
          ? "PULUMI_CONFIG_PASSPHRASE"
          : "DSTACK_STATE_PASSPHRASE";
    return {
      url: maskUrl(backend.url),
      kind: backend.kind,
      passphraseSource: backend.passphraseSource,
      passphraseVariable,
      writable: backend.kind === "file" ? canWrite(backend.url.slice("file://".length)) : undefined,
      failure: undefined,
      cloudToken:
        backend.kind === "cloud"
          ? env.PULUMI_ACCESS_TOKEN !== undefined || fileExists(join(home, ".pulumi", "credentials.json"))
          : undefined,
    };
  } catch (error) {
    return {
      url: maskUrl(requested),
      kind: undefined,
      passphraseSource: undefined,
      passphraseVariable: undefined,
      writable: undefined,
      failure: error instanceof Error ? error.message : String(error),
      cloudToken: undefined,
    };
  }
}
