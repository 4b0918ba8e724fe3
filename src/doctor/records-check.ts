// Where dstack's records live (issue 15): ~/.dstack, or beside the stacks of the team's backend. A
// config.yml with errors is the config check's to report; here it reads as "cannot tell".
import { recordsRoot } from "../home/records-root.js";
import { teamBackendUrl } from "../home/team-backend.js";
import { check, type Check } from "./check.js";
import type { ShowPath } from "./cloud-checks.js";

export function recordsCheck(
  home: string,
  env: Readonly<Record<string, string | undefined>>,
  show: ShowPath,
): Check {
  let root: ReturnType<typeof recordsRoot>;
  try {
    root = recordsRoot(home, env);
  } catch {
    return check("records", "warning", "cannot tell where the records live: config.yml has errors (above)");
  }
  if (root.kind === "service")
    return check("records", "ok", `shared with the team as stacks of ${root.url} (projects dstack-*)`);
  if (root.kind === "s3")
    return check(
      "records",
      "ok",
      `shared with the team in ${root.url.replace(/\?.*$/, "")} (under .dstack/)`,
    );
  if (root.shared) return check("records", "ok", `shared with the team in ${show(root.dir)}`);
  const team = teamBackendUrl(home, env);
  return team === undefined
    ? check(
        "records",
        "ok",
        `personal, in ${show(root.dir)} (no shared backend: state.backend in config.yml)`,
      )
    : check(
        "records",
        "warning",
        `personal, in ${show(root.dir)}: the team's stacks are in ${team}, dstack's records not (gs:// and azblob:// records are not done)`,
        "use s3://, a shared folder (file://) or a Pulumi service to share the records too",
      );
}
