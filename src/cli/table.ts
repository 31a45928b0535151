/**
 * Plain-text tables for the CLI: left-aligned columns, two spaces apart, no trailing blanks. Cells
 * hold what processes said (names, targets, errors): each is shown escaped, so a newline cannot
 * break the table and an escape sequence never reaches the terminal.
 */
import { shown } from '../control/escape.js';

/** Renders rows under a header; every cell is converted with String() and shown escaped. */
export function renderTable(header: string[], rows: Array<Array<string | number | undefined | null>>): string {
  const cells = [
    header,
    ...rows.map((row) => row.map((c) => (c === undefined || c === null ? '-' : shown(String(c))))),
  ];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
