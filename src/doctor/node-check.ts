// Node.js: dstack needs 20 or newer (package.json `engines` asks for 20.19, the first with require(esm)).
import { check, type Check } from "./check.js";

export function nodeCheck(version: string): Check {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  const shown = `v${version.replace(/^v/, "")}`;
  if (major < 20)
    return check("node", "error", `Node.js ${shown} is too old`, "install Node.js 20.19 or newer");
  if (major === 20 && minor < 19)
    return check(
      "node",
      "warning",
      `Node.js ${shown}: dstack is tested on 20.19 and newer`,
      "upgrade to Node.js 20.19 or newer",
    );
  return check("node", "ok", `Node.js ${shown}`);
}
