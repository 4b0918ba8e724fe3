// Extracting an uploaded repository (a tar stream, optionally gzip) into a run's workflow dir with the
// system's tar: Node has no tar built in, and GNU tar is on every Debian and Ubuntu image.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export function extractTar(input: Readable, dir: string, gzip: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    // --ignore-zeros: an upload is several tars one after the other (the repo, then each `files` entry).
    const tar = spawn("tar", ["-x", "-f", "-", "-C", dir, "--no-same-owner", "--ignore-zeros"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    tar.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    tar.stdin.on("error", () => undefined); // tar exited early; its status says why
    tar.on("error", reject);
    tar.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`tar: ${stderr.trim() || `exit ${code}`}`)),
    );
    const source = gzip ? input.pipe(createGunzip()) : input;
    source.on("error", (err) => {
      tar.kill();
      reject(err);
    });
    source.pipe(tar.stdin);
  });
}
