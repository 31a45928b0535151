/**
 * Peer text made safe to show: anything a peer sends (a user or host name, a logger name, a config
 * source, an error that quotes the config) may reach a log line, a reply and an operator's
 * terminal. Control characters there could forge a log line (a newline), or drive the terminal (ESC
 * sequences, OSC titles, BEL), and bidirectional overrides could reorder what is read. They are
 * written as visible escapes instead: `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`. Everything else passes
 * unchanged (a backslash included), so ordinary text, paths and Unicode names read as they are.
 */
import { redactCredentials } from './redact.js';

/** C0 and C1 controls, DEL, line/paragraph separators, bidirectional embeddings and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character written as a visible escape (the same string when it has none). */
export function escapeControl(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/**
 * What a log line, a reply or the CLI shows of text that came from elsewhere: credentials in URLs
 * hidden, control characters escaped. `null`/`undefined` stay as they are.
 */
export function shown(text: string): string;
export function shown(text: string | null | undefined): string | null | undefined;
export function shown(text: string | null | undefined): string | null | undefined {
  return typeof text === 'string' ? escapeControl(redactCredentials(text)) : text;
}
