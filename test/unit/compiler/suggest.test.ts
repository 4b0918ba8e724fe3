import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../../src/compiler/suggest.js";

describe("did you mean", () => {
  it.each([
    ["inactivty_duration", "inactivity_duration"],
    ["spot_polciy", "spot_policy"],
    ["resorces", "resources"],
    ["vscod", "vscode"],
    ["A1OO", "A100"],
    ["IDE", "ide"],
  ])("%s -> %s", (word, expected) => {
    expect(
      closest(word, ["inactivity_duration", "spot_policy", "resources", "vscode", "A100", "ide", "image"]),
    ).toBe(expected);
  });
  it("suggests nothing for unrelated words", () => {
    expect(closest("banana", ["resources", "image", "ide"])).toBeUndefined();
  });
  it("counts a transposition as one edit", () => {
    expect(editDistance("nmae", "name")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});
