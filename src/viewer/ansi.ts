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
