/**
 * `strftime` as Python's `time.strftime` renders it on Linux (glibc, C locale): local time or UTC,
 * the usual directives, GNU flags `-` `_` `0` `^` and a width (`%-d`, `%_H`, `%10Y`), the `E` and
 * `O` modifiers (`%Od`, `%EY`, the plain directive in the C locale). Unknown
 * directives, including `%f` (which `time.strftime` does not support), stay as they are.
 *
 * A format is compiled once into parts and cached, since a formatter renders the same `datefmt`
 * on every record.
 */

import { localZoneName } from './zone-name.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Broken-down time, like C's `struct tm`. */
export interface TimeFields {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** 0-based day of the year */
  yearDay: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
  utc: boolean;
  date: Date;
}

/** `date` as C's `localtime` (or, with `utc`, `gmtime`) breaks it down; weekday 0 is Sunday. */
export function breakDown(date: Date, utc: boolean): TimeFields {
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const day = utc ? date.getUTCDate() : date.getDate();
  const yearDay = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000);
  return {
    year,
    month,
    day,
    hour: utc ? date.getUTCHours() : date.getHours(),
    minute: utc ? date.getUTCMinutes() : date.getMinutes(),
    second: utc ? date.getUTCSeconds() : date.getSeconds(),
    weekday: utc ? date.getUTCDay() : date.getDay(),
    yearDay,
    offsetMinutes: utc ? 0 : -date.getTimezoneOffset(),
    utc,
    date,
  };
}

/** ISO 8601 week-based year and week number (`%G`, `%V`). */
function isoWeek(t: TimeFields): { year: number; week: number } {
  const isoWeekday = (t.weekday + 6) % 7; // Monday = 0
  const thursdayYearDay = t.yearDay - isoWeekday + 3;
  const daysInYear = (y: number) => ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365);
  if (thursdayYearDay < 0) {
    const year = t.year - 1;
    return { year, week: Math.floor((thursdayYearDay + daysInYear(year)) / 7) + 1 };
  }
  if (thursdayYearDay >= daysInYear(t.year)) return { year: t.year + 1, week: 1 };
  return { year: t.year, week: Math.floor(thursdayYearDay / 7) + 1 };
}

type Renderer = (t: TimeFields) => string;
/** A directive's renderer, and how it pads by default: zeros for numbers, spaces for words. */
interface Directive {
  render: (t: TimeFields) => string | number;
  /** Default width of a numeric directive (0: text). */
  width: number;
  /** Default padding character for numbers ('0' or ' '). */
  padWith?: string;
}

/**
 * glibc's `%s` is `mktime()` of the broken-down time. Python's `gmtime()` struct says "not DST",
 * so under the UTC converter the UTC fields are read as local standard time (`%s` is then off by
 * the zone's standard offset, as in CPython).
 */
function mktimeStandard(t: TimeFields): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) / 1000;
  const january = -new Date(t.year, 0, 1).getTimezoneOffset();
  const july = -new Date(t.year, 6, 1).getTimezoneOffset();
  return wall - Math.min(january, july) * 60;
}

const hour12 = (t: TimeFields) => (t.hour % 12 === 0 ? 12 : t.hour % 12);

// breakDown gives weekday 0..6 and month 1..12: the names are there.
const DIRECTIVES: Record<string, Directive> = {
  a: { render: (t) => DAY_NAMES[t.weekday]!.slice(0, 3), width: 0 },
  A: { render: (t) => DAY_NAMES[t.weekday]!, width: 0 },
  b: { render: (t) => MONTH_NAMES[t.month - 1]!.slice(0, 3), width: 0 },
  h: { render: (t) => MONTH_NAMES[t.month - 1]!.slice(0, 3), width: 0 },
  B: { render: (t) => MONTH_NAMES[t.month - 1]!, width: 0 },
  C: { render: (t) => Math.floor(t.year / 100), width: 2 },
  d: { render: (t) => t.day, width: 2 },
  e: { render: (t) => t.day, width: 2, padWith: ' ' },
  G: { render: (t) => isoWeek(t).year, width: 1 },
  g: { render: (t) => isoWeek(t).year % 100, width: 2 },
  H: { render: (t) => t.hour, width: 2 },
  I: { render: hour12, width: 2 },
  j: { render: (t) => t.yearDay + 1, width: 3 },
  k: { render: (t) => t.hour, width: 2, padWith: ' ' },
  l: { render: hour12, width: 2, padWith: ' ' },
  m: { render: (t) => t.month, width: 2 },
  M: { render: (t) => t.minute, width: 2 },
  n: { render: () => '\n', width: 0 },
  p: { render: (t) => (t.hour < 12 ? 'AM' : 'PM'), width: 0 },
  P: { render: (t) => (t.hour < 12 ? 'am' : 'pm'), width: 0 },
  s: { render: (t) => (t.utc ? mktimeStandard(t) : Math.floor(t.date.getTime() / 1000)), width: 1, padWith: ' ' },
  S: { render: (t) => t.second, width: 2 },
  t: { render: () => '\t', width: 0 },
  u: { render: (t) => (t.weekday === 0 ? 7 : t.weekday), width: 1 },
  U: { render: (t) => Math.floor((t.yearDay + 7 - t.weekday) / 7), width: 2 },
  V: { render: (t) => isoWeek(t).week, width: 2 },
  w: { render: (t) => t.weekday, width: 1 },
  W: { render: (t) => Math.floor((t.yearDay + 7 - ((t.weekday + 6) % 7)) / 7), width: 2 },
  y: { render: (t) => t.year % 100, width: 2 },
  Y: { render: (t) => t.year, width: 1 },
  z: {
    render: (t) => {
      const abs = Math.abs(t.offsetMinutes);
      const hhmm = String(Math.floor(abs / 60)).padStart(2, '0') + String(abs % 60).padStart(2, '0');
      return (t.offsetMinutes < 0 ? '-' : '+') + hhmm;
    },
    width: 0,
  },
  // time.gmtime() struct_time carries the zone name "GMT" on glibc.
  Z: { render: (t) => (t.utc ? 'GMT' : localZoneName(t.date)), width: 0 },
};

/** Composite directives, expanded before compiling (C locale). */
const COMPOSITES: Record<string, string> = {
  c: '%a %b %e %H:%M:%S %Y',
  D: '%m/%d/%y',
  F: '%Y-%m-%d',
  r: '%I:%M:%S %p',
  R: '%H:%M',
  T: '%H:%M:%S',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};

/** glibc's `#` flag: names upper-cased, am/pm and the zone name lower-cased, the rest as they are. */
function swapCase(letter: string, text: string): string {
  if ('aAbBh'.includes(letter)) return text.toUpperCase();
  if ('pPZ'.includes(letter)) return text.toLowerCase();
  return text;
}

/** What glibc writes for a directive it does not know (`%q`, `%Ed`): the text itself, `^` upper-cased, padded to the width. */
function unknownDirective(text: string, flag: string, width: number | undefined): string {
  const out = flag === '^' ? text.toUpperCase() : text;
  return width !== undefined && out.length < width ? out.padStart(width, flag === '0' ? '0' : ' ') : out;
}

function directiveRenderer(letter: string, directive: Directive, flag: string, width: number | undefined): Renderer {
  const numeric = directive.width > 0;
  return (t) => {
    const value = directive.render(t);
    let text = String(value);
    if (flag === '^' && letter !== 'P') text = text.toUpperCase(); // `%P` stays lower case
    if (flag === '#') text = swapCase(letter, text);
    // `-` drops the default padding; an explicit width still pads, with spaces.
    if (flag === '-' && width === undefined) return text;
    // A width below the directive's own digits does not shorten it (`%1k` is ` 5`), except with `-` (`%-1I` is `1`).
    const targetWidth = flag === '-' && width !== undefined ? width : Math.max(width ?? 0, directive.width);
    if (text.length >= targetWidth) return text;
    let padChar = numeric ? (directive.padWith ?? '0') : ' ';
    if (flag === '_' || flag === '-') padChar = ' ';
    else if (flag === '0') padChar = '0';
    if (numeric && typeof value === 'number' && value < 0 && padChar === '0')
      return '-' + String(-value).padStart(targetWidth - 1, '0');
    return text.padStart(targetWidth, padChar);
  };
}

/**
 * Directives that take glibc's `E` (alternative era) and `O` (alternative digits) modifiers; in the
 * C locale they render as the plain directive (`%Od` is `%d`). Any other letter after a modifier
 * is copied as it is.
 */
const MODIFIED = {
  E: 'cnprstuxyzCPRTXYZ%',
  O: 'bdeghjklmnprstuwyzBCGHIMPRSTUVWZ%',
} as const;

type CompiledTime = Array<string | Renderer>;

/** A composite (`%c`, `%T`, …) with a flag or width: glibc upper-cases for `^` and pads the whole text. */
function compositeRenderer(inner: CompiledTime, flag: string, width: number | undefined): Renderer {
  return (t) => {
    let text = '';
    for (const part of inner) text += typeof part === 'string' ? part : part(t);
    if (flag === '^') text = text.toUpperCase();
    return width !== undefined && text.length < width ? text.padStart(width, flag === '0' ? '0' : ' ') : text;
  };
}
const compiledCache = new Map<string, CompiledTime>();

function compile(format: string): CompiledTime {
  const parts: CompiledTime = [];
  let literal = '';
  // glibc reads one character after the flags, width and modifier, whatever it is (`%8E/` is one bad directive).
  const directive = /%([-_0^#]?)(\d*)([EO]?)([\s\S])?/y;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      literal += format.slice(i);
      break;
    }
    literal += format.slice(i, percent);
    directive.lastIndex = percent;
    const match = directive.exec(format);
    const [text, flag, digits, modifier, letter] = match as unknown as [
      string,
      string,
      string,
      '' | keyof typeof MODIFIED,
      string | undefined,
    ];
    const width = digits ? Number(digits) : undefined;
    i = percent + text.length;
    // At the end of the format glibc copies the unfinished directive; `%` it copies alone (`%5%`, `%8E%`).
    if (letter === undefined || letter === '%') {
      literal += unknownDirective(letter === undefined ? text : '%', flag, width);
      continue;
    }
    if (modifier && !MODIFIED[modifier].includes(letter)) {
      // glibc copies a modifier it does not take (`%Ed`); `#` has already upper-cased `%#Eb` and `%#Eh`.
      literal += unknownDirective(text, flag === '#' && modifier === 'E' && 'bh'.includes(letter) ? '^' : flag, width);
      continue;
    }
    const composite = COMPOSITES[letter];
    const known = DIRECTIVES[letter];
    if (composite && !flag && width === undefined) {
      // Expanded in place; the expansion holds only simple directives.
      for (const part of compile(composite)) {
        if (typeof part === 'string') literal += part;
        else {
          if (literal) parts.push(literal);
          literal = '';
          parts.push(part);
        }
      }
    } else if (composite) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(compositeRenderer(compile(composite), flag, width));
    } else if (known) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(directiveRenderer(letter, known, flag, width));
    } else {
      literal += unknownDirective(text, flag, width); // unknown directive: glibc copies it (`%f` stays `%f`)
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

/**
 * Renders `date` (a Date or epoch milliseconds) with a strftime format, in local time (the `TZ`
 * environment variable) or, with `utc`, in UTC (Python's `time.gmtime` converter).
 */
export function strftime(format: string, date: Date | number, utc = false): string {
  let parts = compiledCache.get(format);
  if (!parts) {
    parts = compile(format);
    if (compiledCache.size > 256) compiledCache.clear();
    compiledCache.set(format, parts);
  }
  const t = breakDown(typeof date === 'number' ? new Date(date) : date, utc);
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : part(t);
  return out;
}
