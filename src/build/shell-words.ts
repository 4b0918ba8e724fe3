// Just enough of the POSIX shell grammar to see which programs a build command runs with which
// arguments: quotes, backslashes, comments, the separators `;` `&&` `||` `|` `&` `(` `)` and newlines,
// redirections (dropped with their target) and here-document bodies (skipped). Nothing is expanded: a
// word that would be (`$VAR`, `$(...)`, backquotes, globs, a leading `~`) is marked, so that nobody takes
// it for a literal path.

export interface Word {
  text: string;
  /** The shell would expand it (variables, command substitution, globs, `~`): not a literal. */
  expands: boolean;
}

/** One program invocation: its words, redirections removed. */
export type SimpleCommand = Word[];

const GLOB = new Set(["*", "?", "["]);

export function simpleCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let text = "";
  let expands = false;
  let inWord = false;
  let dropNextWord = false;
  const heredocs: string[] = [];

  const endWord = (): void => {
    if (!inWord) return;
    if (dropNextWord) dropNextWord = false;
    else words.push({ text, expands });
    text = "";
    expands = false;
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const add = (s: string, literal = true): void => {
    text += s;
    inWord = true;
    if (!literal) expands = true;
  };

  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === "\\") {
      if (script[i + 1] === "\n")
        i += 2; // line continuation
      else {
        add(script[i + 1] ?? "");
        i += 2;
      }
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? n : end;
      add(script.slice(i + 1, stop));
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(script, i + 1, add);
      inWord = true;
    } else if (c === "$" || c === "`") {
      add(c, false);
      i++;
    } else if (GLOB.has(c) || (c === "~" && !inWord)) {
      add(c, false);
      i++;
    } else if (c === "#" && !inWord) {
      while (i < n && script[i] !== "\n") i++;
    } else if (c === "<" || c === ">" || (c === "&" && script[i + 1] === ">")) {
      if (inWord && /^\d+$/.test(text) && !expands) {
        text = ""; // a file descriptor number, part of the redirection
        inWord = false;
      }
      endWord();
      const op = /^(<<<|<<-|<<|&>>|&>|>>|>&|<&|>\||<>|<|>)/.exec(script.slice(i))![0];
      i += op.length;
      if (op === "<<" || op === "<<-") {
        const delim = /^[ \t]*(['"]?)([^\s'";&|<>()]+)\1/.exec(script.slice(i));
        if (delim !== null) {
          heredocs.push(delim[2]!);
          i += delim[0].length;
        }
      } else dropNextWord = true;
    } else if (c === "\n") {
      endCommand();
      i++;
      while (heredocs.length > 0) i = skipHeredoc(script, i, heredocs.shift()!);
    } else if (c === ";" || c === "|" || c === "&" || c === "(" || c === ")") {
      endCommand();
      i++;
    } else if (c === " " || c === "\t") {
      endWord();
      i++;
    } else {
      add(c);
      i++;
    }
  }
  endCommand();
  return commands;
}

/** Reads a "..." string from just after its opening quote; returns the index after the closing one. */
function readDoubleQuoted(
  script: string,
  start: number,
  add: (s: string, literal?: boolean) => void,
): number {
  let i = start;
  while (i < script.length && script[i] !== '"') {
    const c = script[i]!;
    if (c === "\\" && '$`"\\\n'.includes(script[i + 1] ?? "")) {
      if (script[i + 1] !== "\n") add(script[i + 1]!);
      i += 2;
    } else {
      add(c, c !== "$" && c !== "`");
      i++;
    }
  }
  return i + 1;
}

/** Skips a here-document body starting at `start` (a line start); returns the index after its end line. */
function skipHeredoc(script: string, start: number, delimiter: string): number {
  let i = start;
  while (i < script.length) {
    const eol = script.indexOf("\n", i);
    const line = script.slice(i, eol === -1 ? script.length : eol);
    i = eol === -1 ? script.length : eol + 1;
    if (line.replace(/^\t+/, "") === delimiter) break;
  }
  return i;
}
