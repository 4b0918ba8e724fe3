// The state backend of gc's own stacks (the listing program, the imports it deletes through): a file
// backend in a temporary folder, removed afterwards. Nothing of gc's is written into the user's state,
// two gc runs (two teammates on one shared backend) never share a stack, and a gc killed midway leaves
// at most imported orphans in a folder nobody reads: they are still orphans the next gc finds.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "../compiler/secret.js";
import type { StateBackend } from "../engine/state-backend.js";

export interface Scratch {
  backend: StateBackend;
  dispose(): void;
}

export function scratchBackend(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), "dstack-gc-"));
  return {
    backend: {
      url: `file://${dir}`,
      kind: "file",
      passphrase: new Secret(randomBytes(18).toString("base64url")),
      passphraseSource: "none",
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
