// Files under ~/.dstack (records, the ssh config, the public key) and ~/.ssh/config are replaced, never
// rewritten in place: temp file, fsync, rename. A reader (ssh, another dstack) sees the old or the new
// text, never half; a crash leaves at most a stray `*.<pid>.tmp` beside the file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";

/** Writes `text` to `file` so that the file is always either the old or the new complete text. */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", mode);
  try {
    writeFileSync(fd, text); // every byte, however many writes that takes
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
