import { utils } from "ssh2";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../src/ssh/keys.js";

describe("generateKeyPair", () => {
  // ssh2's own generator yields an unparsable key ~3 times in 1,000: 2,000 tries would hit one.
  it("always returns a key ssh2 can parse back", () => {
    for (let i = 0; i < 2000; i++)
      expect(utils.parseKey(generateKeyPair().private)).not.toBeInstanceOf(Error);
  });
});
