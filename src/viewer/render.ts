/**
 * How one stored line becomes terminal rows: its tag, its text made safe for the screen (colours
 * kept, other escapes removed), highlight and search marks, a marker on a line cut for length,
 * then cut or wrapped by display columns. Pure: the screen calls it only for visible lines.
 */
import { forScreen } from './ansi.js';
import type { StoredLine } from './line-store.js';
import { displayWidth, sliceColumns } from './width.js';

/** What decorates the text of a line. */
export interface Marks {
  highlight: RegExp | null;
  search: RegExp | null;
}

const HIGHLIGHT_ON = '\x1b[30;43m';
const SEARCH_ON = '\x1b[7m';
const OFF = '\x1b[0m';

/** Wraps each match of `regex` (made global) in the given attribute. */
function mark(text: string, regex: RegExp, on: string): string {
  const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : regex.flags + 'g');
  return text.replace(global, (m) => (m ? on + m + OFF : m));
}

/** The line's text as shown: marks on plain text when any pattern applies, else its own colours. */
export function lineText(line: StoredLine, marks: Marks): string {
  const hit = (marks.highlight && marks.highlight.test(line.plain)) || (marks.search && marks.search.test(line.plain));
  let text = hit ? forScreen(line.plain) : forScreen(line.raw);
  if (hit && marks.highlight) text = mark(text, marks.highlight, HIGHLIGHT_ON);
  if (hit && marks.search) text = mark(text, marks.search, SEARCH_ON);
  if (line.cut > 0) text += `${OFF}\x1b[2m … [${line.cut} more characters not kept]${OFF}`;
  return text;
}

/** Rows for one line: cut to `width` from column `skip`, or wrapped into at most `maxRows` rows. */
export function lineRows(
  tag: string,
  text: string,
  width: number,
  skip: number,
  wrap: boolean,
  maxRows: number,
): string[] {
  const tagWidth = displayWidth(tag);
  const room = Math.max(1, width - tagWidth);
  if (!wrap) return [tag + sliceColumns(text, skip, room)];
  const total = displayWidth(text);
  const rows: string[] = [];
  for (let from = 0; rows.length < maxRows && (from < total || rows.length === 0); from += room) {
    rows.push((rows.length === 0 ? tag : ' '.repeat(tagWidth)) + sliceColumns(text, from, room));
  }
  return rows;
}

/** Cuts or pads a status text to exactly `width` columns. */
export function fitWidth(text: string, width: number): string {
  const cut = sliceColumns(text, 0, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** Lays out words into lines of at most `width` columns (for help that fits any terminal). */
export function wrapWords(items: string[], width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    const next = current ? `${current}   ${item}` : item;
    if (current && displayWidth(next) > width) {
      lines.push(current);
      current = item;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
