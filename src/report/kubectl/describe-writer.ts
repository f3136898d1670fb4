/**
 * How `kubectl describe` lays text out: its PrefixWriter (two spaces an indentation level) feeding
 * Go's text/tabwriter as describe.go's tabbedString configures it (minwidth 0, padding 2, spaces).
 * Unlike the `get` tables, describe output is one stream whose tab-separated cells align only
 * within runs of consecutive lines that have the cell, which is why its columns shift from block
 * to block; this reproduces that algorithm, not an approximation of it.
 */

const PADDING = 2;

/** Width as tabwriter counts it: one per Unicode code point. */
function cellWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Go's text/tabwriter (flags 0, minwidth 0, padding 2, pad character ' ') applied to `text`.
 * Cells are tab-terminated; the last cell of a line is not part of a column. A column block is a
 * run of consecutive lines that all have a cell in that column, and its width is the widest such
 * cell plus the padding (tabwriter.Writer.format, recursively for the columns to the right).
 */
export function tabwriter(text: string): string {
  const lines = text.split("\n").map((l) => l.split("\t"));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let line = "";
      cells.forEach((cell, j) => {
        line += cell;
        if (j < widths.length) line += " ".repeat(Math.max(0, widths[j]! - cellWidth(cell)));
      });
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      // A block of this column begins here: print what came before with the widths known so far.
      writeLines(start, i);
      start = i;
      let width = 0;
      let end = i;
      for (; end < line1 && column < lines[end]!.length - 1; end++) {
        width = Math.max(width, cellWidth(lines[end]![column]!) + PADDING);
      }
      widths.push(width);
      format(start, end);
      widths.pop();
      start = end;
      i = end;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join("\n");
}

/** Indentation levels of describe.go (LEVEL_0 … LEVEL_4). */
export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

/**
 * describe.go's PrefixWriter: text written at an indentation level (two spaces a level), gathered
 * and laid out by `tabwriter` at the end. Cells are separated by "\t", lines end with "\n".
 */
export class PrefixWriter {
  private readonly parts: string[] = [];

  /** `Write(level, ...)`: the text, indented; a "\t" ends a cell, a "\n" ends a line. */
  write(level: number, text: string): void {
    this.parts.push("  ".repeat(level) + text);
  }

  /** `WriteLine(...)`: the text and a newline, not indented. */
  writeLine(text = ""): void {
    this.parts.push(`${text}\n`);
  }

  /** The raw text, tabs and all (what kubectl prints when it bypasses the tabwriter). */
  raw(): string {
    return this.parts.join("");
  }

  /** The text aligned as kubectl's tabbedString does. */
  toString(): string {
    return tabwriter(this.raw());
  }
}
