/**
 * Display columns, not UTF-16 units: CJK and most emoji take two columns, combining marks none.
 * A line is cut and shifted by columns, keeping its colours (SGR) and never splitting a grapheme.
 */
import stringWidth from 'string-width';

const SGR_OR_TEXT = /\x1b\[[0-9;]*m/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** Columns a text takes on the terminal (escape sequences take none). */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/**
 * The part of `text` from column `skip` that fits in `width` columns, with every colour code on the
 * way kept (so what is shown has the right colour) and a reset at the end when there was any.
 * A wide character straddling an edge is replaced by a space.
 */
export function sliceColumns(text: string, skip: number, width: number): string {
  if (PRINTABLE_ASCII.test(text)) return text.slice(skip, skip + width);
  let out = '';
  let column = 0;
  let coloured = false;
  let index = 0;
  SGR_OR_TEXT.lastIndex = 0;
  for (let match = SGR_OR_TEXT.exec(text); ; match = SGR_OR_TEXT.exec(text)) {
    const plainEnd = match ? match.index : text.length;
    if (index < plainEnd && column < skip + width) {
      for (const { segment } of segmenter.segment(text.slice(index, plainEnd))) {
        const w = stringWidth(segment);
        if (column >= skip && column + w <= skip + width) out += segment;
        else if (column < skip + width && column + w > skip)
          out += ' '.repeat(Math.min(column + w, skip + width) - Math.max(column, skip));
        column += w;
        if (column >= skip + width) break;
      }
    }
    if (!match) break;
    out += match[0];
    coloured = true;
    index = match.index + match[0].length;
  }
  return coloured ? out + '\x1b[0m' : out;
}
