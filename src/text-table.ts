// Plain text tables in the layout of `dstack offer` (a leading space, columns two spaces apart, no
// trailing blanks) and prices as the tables print them; shared by the CLI and the planner's reports.
export function textTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "";
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => ` ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd()).join("\n");
}

/** `$1.23`, at most four decimals, as `dstack offer` prints prices. */
export function formatPrice(usd: number): string {
  return `$${Number(usd.toFixed(4))}`;
}

/** A cost so far, to the cent (`$0.42`, `$1234.5`); `<$0.01` for less than a cent; `-` when unknown. */
export function formatCost(usd: number | null): string {
  if (usd === null) return "-";
  if (usd > 0 && usd < 0.005) return "<$0.01";
  return `$${Number(usd.toFixed(2))}`;
}
