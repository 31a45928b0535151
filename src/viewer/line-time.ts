/**
 * When a viewed line was written, for `:goto`: its parsed time field, else a date-time at its
 * start (ISO 8601, Python's `2026-12-01 12:00:00,002`, in brackets or not), else when it arrived.
 * A file of yesterday's logs is read in a moment, so arrival times alone could not find 12:30 in
 * it. Lines without a time of their own (a traceback's) take the nearest earlier line's.
 */
import type { StoredLine } from './line-store.js';

const DATE_TIME = /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;

/** A date-time at the start of `text` as ms since the epoch (local time without a zone), or null. */
export function writtenAt(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = m;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const parts = [
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    ms,
  ] as const;
  if (!zone) return new Date(...parts).getTime();
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = zone === 'Z' ? 0 : sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return Date.UTC(...parts) - offset * 60_000;
}

/** Lines looked back for a time when a line has none. */
const LOOK_BACK = 64;

/** What the view's lines are searched in: the shown lines, oldest first. */
export interface ShownLines {
  readonly shownCount: number;
  shownAt(index: number): StoredLine | undefined;
}

/** When the `index`-th shown line was written (or, with no time near it, arrived). */
export function shownLineTime(lines: ShownLines, index: number): number {
  for (let i = index; i >= 0 && i > index - LOOK_BACK; i--) {
    const line = lines.shownAt(i);
    if (!line) break;
    const at = writtenAt(line.fields?.time ?? '') ?? writtenAt(line.plain);
    if (at !== null) return at;
  }
  return lines.shownAt(index)?.at ?? 0;
}

/** Index of the first shown line written at or after `time` (the last one when none is); lines are taken to be in time order. */
export function shownIndexAtTime(lines: ShownLines, time: number): number {
  let lo = 0;
  let hi = lines.shownCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (shownLineTime(lines, mid) < time) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, lines.shownCount - 1));
}
