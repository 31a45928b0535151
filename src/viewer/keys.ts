/**
 * Keys from one terminal read. A paste or fast typing delivers several keys at once (`/x`, `pq`,
 * `p` then Esc); each is returned separately, escape sequences whole.
 */

/** Names of the special keys the viewer uses, by their escape sequences (xterm and vt). */
export const KEY_NAMES: Readonly<Record<string, string>> = {
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x1b[5~': 'pageup',
  '\x1b[6~': 'pagedown',
  '\x1b': 'escape',
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x03': 'ctrl-c',
  '\x15': 'ctrl-u',
  '\x0c': 'ctrl-l',
  '\t': 'tab',
};

/** Splits one read into keys: CSI and SS3 sequences whole, every other character on its own. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === '\x1b' && data[i + 1] === '[') {
      let j = i + 2;
      while (j < data.length && !/[@-~]/.test(data.charAt(j))) j++;
      keys.push(data.slice(i, j + 1));
      i = j + 1;
    } else if (data[i] === '\x1b' && data[i + 1] === 'O' && i + 2 < data.length) {
      keys.push(data.slice(i, i + 3));
      i += 3;
    } else {
      const code = data.codePointAt(i)!;
      const char = String.fromCodePoint(code);
      keys.push(char);
      i += char.length;
    }
  }
  return keys;
}

/** A key's name (`up`, `enter`, …) or the key itself. */
export function keyName(key: string): string {
  return KEY_NAMES[key] ?? key;
}
