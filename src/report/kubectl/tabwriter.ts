/**
 * Column layout of kubectl's tables: Go's text/tabwriter as kubectl configures it (minwidth 6,
 * padding 3, pad with spaces). The last cell of a line is not a column and is never padded.
 */

const MIN_WIDTH = 6;
const PADDING = 3;

/** Width as tabwriter counts it: one per Unicode code point. */
function cellWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Lays out rows of cells (the first row is usually the header) into aligned lines, each ending in "\n". */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    // Every cell but the last is terminated by a tab, so only those belong to a column.
    for (let i = 0; i < row.length - 1; i++) {
      const w = Math.max(MIN_WIDTH, cellWidth(row[i]!) + PADDING);
      if (w > (widths[i] ?? 0)) widths[i] = w;
    }
  }
  let out = "";
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      line += i < row.length - 1 ? cell + " ".repeat(widths[i]! - cellWidth(cell)) : cell;
    }
    out += line + "\n";
  }
  return out;
}
