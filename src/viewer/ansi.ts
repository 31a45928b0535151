/** ANSI-aware text helpers for the viewer: coloured lines keep their codes but are measured without them. */

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Cuts a line to `width` visible characters, keeping escape sequences so colours stay right, and
 * resets attributes at the end when it cut anything coloured.
 */
export function truncateVisible(text: string, width: number): string {
  let visible = 0;
  let out = '';
  let sawEscape = false;
  ANSI_PATTERN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    ANSI_PATTERN.lastIndex = index;
    const match = ANSI_PATTERN.exec(text);
    const plainEnd = match ? match.index : text.length;
    const take = Math.min(plainEnd - index, width - visible);
    out += text.slice(index, index + take);
    visible += take;
    if (visible >= width && (index + take < plainEnd || match)) {
      return sawEscape ? out + '\x1b[0m' : out;
    }
    if (!match) break;
    out += match[0];
    sawEscape = true;
    index = match.index + match[0].length;
  }
  return out;
}

// Any escape sequence: CSI, OSC (ended by BEL or ST, or unterminated), DCS/SOS/PM/APC strings, and
// two-byte escapes; plus C0/C1 control characters other than the escape itself.
const ESCAPE_OR_CONTROL = /(?:\x1b\[|\x9b)[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;
const SGR = /^\x1b\[[0-9;]*m$/;

/**
 * A line as it may reach the terminal: colours (SGR) kept, every other escape sequence and
 * control character removed, tabs as spaces. Viewed output is data — perhaps an untrusted log —
 * and must not move the cursor, clear the screen, set the title or write the clipboard (OSC 52).
 */
export function forScreen(text: string): string {
  return text.replace(ESCAPE_OR_CONTROL, (m) => (SGR.test(m) ? m : '')).replace(/\t/g, '    ');
}
