// The one output host every command writes through (DESIGN.md style 6): human text and diagnostics to
// stderr/stdout as appropriate, and with --json only machine output on stdout.

export interface Output {
  /** Human-readable result text (stdout). */
  print(text: string): void;
  /** Diagnostics, progress and errors (stderr). */
  error(text: string): void;
  /** Machine output (stdout), one JSON document. */
  json(value: unknown): void;
  /** Raw text as it came (a run's logs), on either stream. */
  write(text: string, stream: "stdout" | "stderr"): void;
  readonly color: boolean;
}

export interface Streams {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

export function createOutput(streams: Streams, env: Readonly<Record<string, string | undefined>>): Output {
  const color = streams.stderr.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
  return {
    print: (text) => void streams.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    error: (text) => void streams.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => void streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    write: (text, stream) => void streams[stream].write(text),
    color,
  };
}

const CODES = { red: 31, yellow: 33, dim: 2, bold: 1 } as const;

export function paint(output: Output, style: keyof typeof CODES, text: string): string {
  return output.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}
