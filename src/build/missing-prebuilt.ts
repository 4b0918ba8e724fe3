// The plan-time refusal of `dstack apply` when a configuration's `build` has no image under its key yet:
// before any offer is shown or anything is provisioned, it names the two ways on and what the key is
// made of (so an edit that changed it is easy to spot).
import { UserError } from "../errors.js";
import { hashedFilesText, type PrebuiltTarget } from "./prebuilt-target.js";

export function missingPrebuilt(target: PrebuiltTarget, configFile: string): UserError {
  const n = target.commands.length;
  const files =
    target.key.hashedFiles.length === 0 ? "no files hashed" : `files hashed: ${hashedFilesText(target)}`;
  return new UserError(
    "build-missing",
    `${configFile} has build commands and the registry has no prebuilt image for them yet ` +
      `(key ${target.key.key}: base ${target.base} ${short(target.baseDigest)}, ${target.platform}, ` +
      `${n} build command${n === 1 ? "" : "s"}, ${files}); nothing was provisioned`,
    `build it first with \`dstack build -f ${configFile}\`, or add --build to build it and then run`,
  );
}

/** `sha256:3cad7c2d5eba` (12 hex digits, as docker prints image ids). */
export const short = (digest: string): string => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, "$1");
