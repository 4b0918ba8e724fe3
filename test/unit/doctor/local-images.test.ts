import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_IMAGE, instanceTag, localImages } from "../../../src/stacks/local/images.js";
import { packageRoot } from "../../../src/package-root.js";
import { withFiles } from "./fakes.js";

describe("local images", () => {
  it("tags the instance image with the first 12 hex digits of the build script's sha256", () => {
    const root = withFiles({ "scripts/build-instance-image": "#!/bin/sh\necho v1\n" });
    const hash = createHash("sha256").update("#!/bin/sh\necho v1\n").digest("hex");
    expect(localImages(root)).toEqual({
      instance: `dstack/local-instance:${hash.slice(0, 12)}`,
      base: BASE_IMAGE,
    });
  });

  it("uses this repository's script by default, and throws when there is none", () => {
    const script = readFileSync(join(packageRoot(), "scripts/build-instance-image"));
    expect(localImages().instance).toBe(instanceTag(script));
    expect(() => localImages(withFiles({}))).toThrow(/build-instance-image/);
  });
});
