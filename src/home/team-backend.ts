// The backend a team shares (issue 15): DSTACK_BACKEND_URL, else `state: {backend: URL}` in
// ~/.dstack/config.yml. It holds the stacks and dstack's records (records-root.ts); undefined means the
// personal default, the file backend under ~/.dstack. A command's own --backend-url moves only that
// command's stacks, never the records (every command must find the same runs).
import { statSync } from "node:fs";
import { loadDstackConfig } from "./load-config.js";
import { configFile } from "./paths.js";

/** config.yml's setting by the file's identity (path, mtime, size): records are opened very often. */
const cache = new Map<string, { stamp: string; url: string | undefined }>();

function fromConfig(home: string): string | undefined {
  const file = configFile(home);
  const st = statSync(file, { throwIfNoEntry: false });
  const stamp = st === undefined ? "absent" : `${st.mtimeMs}:${st.size}:${st.ino}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.url;
  const url = st === undefined ? undefined : loadDstackConfig(home).stateBackend;
  cache.set(file, { stamp, url });
  return url;
}

export function teamBackendUrl(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const fromEnv = env.DSTACK_BACKEND_URL;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return fromConfig(home);
}
