/** ANSI helpers for the viewer: plain text for matching, and lines made safe for the screen. */

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

// Any escape sequence: CSI, OSC (ended by BEL or ST, or unterminated), DCS/SOS/PM/APC strings, and
// two-byte escapes; plus C0/C1 control characters other than the escape itself.
const ESCAPE_OR_CONTROL =
  /(?:\x1b\[|\x9b)[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;
const SGR = /^\x1b\[[0-9;]*m$/;

/**
 * A line as it may reach the terminal: colours (SGR) kept, every other escape sequence and
 * control character removed, tabs as spaces. Viewed output is data — perhaps an untrusted log —
 * and must not move the cursor, clear the screen, set the title or write the clipboard (OSC 52).
 */
export function forScreen(text: string): string {
  return text.replace(ESCAPE_OR_CONTROL, (m) => (SGR.test(m) ? m : '')).replace(/\t/g, '    ');
}
