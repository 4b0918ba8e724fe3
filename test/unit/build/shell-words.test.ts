// The shell reading behind the build key: commands split where the shell splits them, quotes removed,
// redirections and here-documents dropped, and anything the shell would expand marked as such.
import { describe, expect, it } from "vitest";
import { simpleCommands } from "../../../src/build/shell-words.js";

const texts = (script: string): string[][] => simpleCommands(script).map((c) => c.map((w) => w.text));

describe("simpleCommands", () => {
  it("splits on ; && || | & newlines and parentheses", () => {
    expect(texts("a 1; b 2 && c || d | e & f\n(g; h)")).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c"],
      ["d"],
      ["e"],
      ["f"],
      ["g"],
      ["h"],
    ]);
  });

  it("removes quotes and backslashes, and keeps separators inside quotes", () => {
    expect(texts(`pip install -r 'my reqs.txt' "a;b" c\\ d`)).toEqual([
      ["pip", "install", "-r", "my reqs.txt", "a;b", "c d"],
    ]);
    expect(texts(`echo "a \\"q\\" \\\\ b"`)).toEqual([["echo", 'a "q" \\ b']]);
    expect(texts("a \\\n  b")).toEqual([["a", "b"]]);
    expect(texts("x ''")).toEqual([["x", ""]]);
  });

  it("drops redirections with their targets", () => {
    expect(texts("apt-get install -y x < pkgs.txt > out.log 2>&1")).toEqual([
      ["apt-get", "install", "-y", "x"],
    ]);
    expect(texts("cmd>f 2>>g &>h arg")).toEqual([["cmd", "arg"]]);
  });

  it("skips here-document bodies", () => {
    expect(texts("cat > f <<EOF\npip install -r nope.txt\nEOF\nnext -r x")).toEqual([
      ["cat"],
      ["next", "-r", "x"],
    ]);
    expect(texts("cat <<-'END'\n\tbody\n\tEND\nafter")).toEqual([["cat"], ["after"]]);
  });

  it("skips comments, but not a # inside a word", () => {
    expect(texts("pip install x # -r y.txt\nurl a#b")).toEqual([
      ["pip", "install", "x"],
      ["url", "a#b"],
    ]);
  });

  it("marks words the shell would expand", () => {
    const words = simpleCommands(`a $HOME/r.txt "$(pwd)/x" '$LIT' *.txt ~/x plain a~b`)[0]!;
    expect(words.map((w) => [w.text, w.expands])).toEqual([
      ["a", false],
      ["$HOME/r.txt", true],
      ["$(pwd)/x", true],
      ["$LIT", false],
      ["*.txt", true],
      ["~/x", true],
      ["plain", false],
      ["a~b", false],
    ]);
  });
});
