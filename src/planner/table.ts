// A plain text table in the layout of `dstack offer`: a leading space, columns two spaces apart, no
// trailing blanks. Kept here (not imported from cli/) because src/ must not depend on the CLI.
export function textTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "";
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => ` ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd()).join("\n");
}

/** `$1.23`, at most four decimals, as `dstack offer` prints prices. */
export function formatPrice(usd: number): string {
  return `$${Number(usd.toFixed(4))}`;
}
