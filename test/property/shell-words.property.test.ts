// Properties of the shell reading behind the build key: it never throws, and any string quoted the way a
// shell user quotes it comes back as exactly one literal word.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simpleCommands } from "../../src/build/shell-words.js";

const singleQuoted = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const doubleQuoted = (s: string): string => `"${s.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;

describe("simpleCommands (properties)", () => {
  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (script) => {
        simpleCommands(script);
      }),
      { numRuns: 1_000 },
    );
  });

  it("a single- or double-quoted argument is one literal word with the original text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.boolean(), (arg, single) => {
        const words = simpleCommands(`pip install -r ${single ? singleQuoted(arg) : doubleQuoted(arg)}`);
        expect(words).toHaveLength(1);
        expect(words[0]![3]).toEqual({ text: arg, expands: false });
      }),
      { numRuns: 1_000 },
    );
  });
});
