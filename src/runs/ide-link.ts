// The link that opens a dev environment in its IDE, in dstack's forms (server/services/ides/): VS Code,
// Cursor and Windsurf take `<scheme>://vscode-remote/ssh-remote+<host><working_dir>`, Zed takes
// `zed://ssh/<host><working_dir>`. A dev environment without ide (dstack's default) is SSH only: no link.
import { REPO_DIR } from "../compiler/normalize/run-fields.js";

const IDES: Record<string, { name: string; url: (host: string, dir: string) => string }> = {
  vscode: { name: "VS Code Desktop", url: (h, d) => `vscode://vscode-remote/ssh-remote+${h}${d}` },
  cursor: { name: "Cursor", url: (h, d) => `cursor://vscode-remote/ssh-remote+${h}${d}` },
  windsurf: { name: "Windsurf", url: (h, d) => `windsurf://vscode-remote/ssh-remote+${h}${d}` },
  zed: { name: "Zed", url: (h, d) => `zed://ssh/${h}${d}` },
};

/** The IDE's name and link for a run's applied spec; null without an IDE. `host` is the ssh host alias. */
export function ideLink(
  spec: Readonly<Record<string, unknown>>,
  host: string,
): { ide: string; url: string } | null {
  const ide = typeof spec.ide === "string" ? IDES[spec.ide] : undefined;
  if (ide === undefined) return null;
  const dir = typeof spec.working_dir === "string" ? spec.working_dir : REPO_DIR;
  return { ide: ide.name, url: ide.url(host, dir) };
}
