// Go's text/tabwriter as kubectl describe configures it (minwidth 0, tabwidth 8, padding 2, pad with spaces,
// no flags): a cell ends at a tab, and each column is as wide as its widest cell plus 2 over every run of
// consecutive lines that have a cell in that column. The last cell of a line is never padded. Written from
// the algorithm of Go's tabwriter.Writer.format, so the output matches kubectl's byte for byte.
const PADDING = 2;

export function tabwrite(text: string): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      let line = '';
      cells.forEach((cell, j) => {
        line += j < cells.length - 1 && j < widths.length ? cell.padEnd(widths[j] ?? 0) : cell;
      });
      out.push(line);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= (lines[current]?.length ?? 0) - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let width = 0;
      for (; current < line1; current++) {
        const cells = lines[current] ?? [];
        if (column >= cells.length - 1) break;
        width = Math.max(width, (cells[column] ?? '').length + PADDING);
      }
      widths.push(width);
      format(line0, current);
      widths.pop();
      line0 = current;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n');
}

/** kubectl's PrefixWriter: two spaces per level, tabs left for the tabwriter. */
export class PrefixWriter {
  private text = '';

  write(level: number, line: string): void {
    this.text += '  '.repeat(level) + line;
  }

  toString(): string {
    return tabwrite(this.text);
  }
}
