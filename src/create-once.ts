// A file that must be created exactly once, though several dstack processes may race to create it (two
// commands started together on a fresh HOME): each writes a complete file of its own and links it into
// place. link() fails when the file exists, so the first one wins, every process then reads the same
// content, and no reader ever sees a half-written file.
import { linkSync, rmSync, writeFileSync } from "node:fs";

/** Creates `path` with `content` unless it exists; true when this call created it. */
export function createOnce(path: string, content: string, mode: number): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    rmSync(temp, { force: true });
  }
}
