/**
 * The local time zone's abbreviation for `%Z` (`CET`, `EDT`, `IST`), as glibc shows it.
 *
 * Intl only knows abbreviations for a few zones (elsewhere it says `GMT+1`), so the names come
 * from the zone's rule, the POSIX TZ string at the end of its TZif file (`CET-1CEST,M3.5.0,…`):
 * the standard name when the current offset is the standard offset, the summer name when it is
 * the summer offset. Anything else (historical offsets, no tzdata) falls back to Intl.
 */
const { readFileSync } = process.getBuiltinModule('node:fs');
import { isAbsolute, join } from 'node:path';

interface ZoneRule {
  stdName: string;
  /** Minutes east of UTC. */
  stdOffset: number;
  dstName: string | undefined;
  dstOffset: number;
}

const POSIX_TZ =
  /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,2}(?::\d{1,2}){0,2})(?:(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,2}(?::\d{1,2}){0,2})?)?(?:,|$)/;

function offsetMinutes(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [h = 0, m = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
  // POSIX offsets are hours *west* of UTC: CET-1 is UTC+1.
  return -sign * (h * 60 + m);
}

const unquote = (name: string) => (name.startsWith('<') ? name.slice(1, -1) : name);

/** Parses a POSIX TZ rule (`EST5EDT,M3.2.0,M11.1.0`); undefined when it is not one. */
export function parsePosixTz(text: string): ZoneRule | undefined {
  const match = POSIX_TZ.exec(text.trim());
  if (!match) return undefined;
  // Groups 1 (name) and 2 (offset) are not optional in POSIX_TZ.
  const stdOffset = offsetMinutes(match[2]!);
  const dstName = match[3] ? unquote(match[3]) : undefined;
  const dstOffset = match[4] ? offsetMinutes(match[4]) : stdOffset + 60;
  return { stdName: unquote(match[1]!), stdOffset, dstName, dstOffset };
}

/** The rule at the end of a TZif (version 2+) file. */
function ruleFromTzif(path: string): ZoneRule | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  if (data.toString('latin1', 0, 4) !== 'TZif' || data[4] === 0) return undefined;
  const text = data.toString('latin1');
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  const start = text.lastIndexOf('\n', end - 1);
  if (start < 0) return undefined;
  return parsePosixTz(text.slice(start + 1, end));
}

function ruleFor(tz: string | undefined): ZoneRule | undefined {
  if (tz === undefined || tz === '') return ruleFromTzif('/etc/localtime');
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  const fromFile = ruleFromTzif(isAbsolute(name) ? name : join('/usr/share/zoneinfo', name));
  return fromFile ?? parsePosixTz(name);
}

let cache: { tz: string | undefined; rule: ZoneRule | undefined; intl: Intl.DateTimeFormat } | undefined;

/** The abbreviation of the local zone (the `TZ` environment variable) at `date`. */
export function localZoneName(date: Date): string {
  const tz = process.env['TZ'];
  if (!cache || cache.tz !== tz) {
    cache = { tz, rule: ruleFor(tz), intl: new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }) };
  }
  const rule = cache.rule;
  if (rule) {
    const offset = -date.getTimezoneOffset();
    if (offset === rule.stdOffset) return rule.stdName;
    if (rule.dstName !== undefined && offset === rule.dstOffset) return rule.dstName;
  }
  return cache.intl.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
