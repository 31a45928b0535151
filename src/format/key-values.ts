/**
 * A record's structured fields as `key=value` pairs (logfmt's convention), for text formats:
 * `%(fields)s` renders `reqId=r-7 user=ada status=200`, or nothing when the record has none.
 *
 * Invariants: a value or key that is not plain printable ASCII without `"`, `=`, `\` or spaces
 * is written as a JSON string, with C1 controls and DEL escaped too, so nothing a caller logs
 * can reach a terminal as a control sequence or be misread as another pair; objects are written
 * as JSON (serialize.ts), errors as their message.
 */
import { jsonValue } from './serialize.js';

const BARE = /^[\x21\x23-\x3c\x3e-\x5b\x5d-\x7e]+$/;
const C1 = /[\x7f-\x9f\u2028\u2029]/g;

/** `text` bare when it is safe to read back, otherwise a JSON string with every control escaped. */
export function logfmtText(text: string): string {
  if (BARE.test(text)) return text;
  return JSON.stringify(text).replace(C1, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** One value: strings as {@link logfmtText}, errors as their message, everything else as JSON. */
function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return logfmtText(value);
  if (value instanceof Error) return logfmtText(value.message);
  const json = jsonValue(value);
  if (json === undefined) return undefined;
  return typeof value === 'object' && value !== null
    ? json.replace(C1, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
    : json;
}

/** `k=v k2=v2` for every own field with a value; `''` for none. */
export function keyValuePairs(fields: Readonly<Record<string, unknown>> | undefined): string {
  if (fields === undefined) return '';
  let out = '';
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const text = valueText(fields[key]);
    if (text === undefined) continue;
    out += (out.length > 0 ? ' ' : '') + logfmtText(key) + '=' + text;
  }
  return out;
}
