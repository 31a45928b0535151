/**
 * Random Formatter inputs for the differential test: format strings of the three styles (fields
 * of every kind, flags, widths, precisions, conversions, fills, groupings), datefmts and records.
 */
import type { FormatStyle } from '../../../src/format/styles.js';
import type { ParityRecord } from './generate.js';
import type { Rng } from './rng.js';

/** `%` conversion flags, width and precision (without the type). */
export function percentFlags(rng: Rng): string {
  let spec = '';
  const flagCount = rng.pick([0, 0, 0, 1, 1, 2]);
  for (let i = 0; i < flagCount; i++) spec += rng.pick(['-', '0', '+', ' ', '#']);
  if (rng.chance(0.45)) spec += String(rng.int(1, 16));
  if (rng.chance(0.3)) spec += '.' + String(rng.int(0, 12));
  return spec;
}

type Kind = 'string' | 'int' | 'float' | 'args' | 'extra';
const FIELDS: Record<Kind, string[]> = {
  string: [
    'name',
    'levelname',
    'message',
    'message',
    'message',
    'asctime',
    'asctime',
    'processName',
    'threadName',
    'module',
    'funcName',
    'filename',
    'pathname',
    'msg',
  ],
  int: ['levelno', 'process', 'thread', 'lineno'],
  float: ['created', 'msecs', 'msecs', 'relativeCreated'],
  args: ['args'],
  extra: ['user', 'n', 'ratio', 'flag', 'big'],
};
const PERCENT_TYPES: Record<Kind, string> = {
  string: 'sssra',
  int: 'ddiouxXeEfFgGcsr',
  float: 'ffFeEgGdisr',
  args: 'ssr',
  extra: 'sraddxfeg',
};
const BRACE_TYPES: Record<Kind, string[]> = {
  string: ['', '', 's'],
  int: ['', 'd', 'x', 'X', 'o', 'b', 'c', 'n', 'e', 'f', 'g', '%'],
  float: ['', 'e', 'E', 'f', 'F', 'g', 'G', '%', 'n'],
  args: ['', '', 's'],
  extra: ['', '', 's', 'd', 'f', 'e', 'x'],
};
const LITERALS = ['', ' ', ' - ', ':', ' [', '] ', 'ünï', '🚀', '|', '\t', 'x'];

function field(rng: Rng): { name: string; kind: Kind } {
  const kind = rng.pick<Kind>(['string', 'string', 'string', 'int', 'float', 'args', 'extra']);
  return { name: rng.pick(FIELDS[kind]), kind };
}

function percentField(rng: Rng): string {
  const { name, kind } = field(rng);
  const type = rng.chance(0.9) ? rng.pick(PERCENT_TYPES[kind]) : rng.pick('sdfxcra');
  return `%(${name})${percentFlags(rng)}${type}`;
}

function braceSpec(rng: Rng, kind: Kind): string {
  let spec = '';
  if (rng.chance(0.3)) spec += rng.pick([' ', '*', '0', '.', '🚀', 'é']) + rng.pick(['<', '>', '=', '^']);
  else if (rng.chance(0.2)) spec += rng.pick(['<', '>', '=', '^']);
  if (rng.chance(0.2)) spec += rng.pick(['+', '-', ' ']);
  if (rng.chance(0.02)) spec += 'z';
  if (rng.chance(0.1)) spec += '#';
  if (rng.chance(0.15)) spec += '0';
  if (rng.chance(0.5)) spec += String(rng.int(1, 15));
  if (rng.chance(0.15)) spec += rng.pick([',', '_']);
  if (rng.chance(0.3)) spec += '.' + String(rng.int(0, 10));
  spec += rng.chance(0.9) ? rng.pick(BRACE_TYPES[kind]) : rng.pick(['s', 'd', 'f', 'x', 'c', 'e']);
  return spec;
}

function braceField(rng: Rng): string {
  const { name, kind } = field(rng);
  const conversion = rng.chance(0.15) ? rng.pick(['!r', '!s', '!a']) : '';
  const spec = rng.chance(0.6) ? ':' + braceSpec(rng, conversion ? 'string' : kind) : '';
  return `{${name}${conversion}${spec}}`;
}

function dollarField(rng: Rng): string {
  const { name } = field(rng);
  return rng.chance(0.5) ? `$${name}` : `\${${name}}`;
}

/** A format string of `style`: literals and one to four fields. */
export function genFormat(rng: Rng, style: FormatStyle): string {
  const escape = style === '%' ? '%%' : style === '{' ? rng.pick(['{{', '}}']) : '$$';
  const make = style === '%' ? percentField : style === '{' ? braceField : dollarField;
  let fmt = rng.pick(LITERALS);
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) fmt += make(rng) + rng.pick(LITERALS) + (rng.chance(0.08) ? escape : '');
  return fmt;
}

const DIRECTIVES = 'aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%';

/** A strftime format: directives with GNU flags, widths and E/O modifiers, unknown ones, literals. */
export function genDatefmt(rng: Rng): string {
  let out = '';
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) {
    out += rng.pick(['', ' ', '-', '/', ':', 'T', ' at ']);
    const letter = rng.chance(0.05) ? rng.pick(['f', 'q', 'i', 'E']) : rng.pick([...DIRECTIVES]);
    let directive = '%';
    // glibc's flags and widths on %z %Z %n %t %% follow rules of their own, left out here.
    const plain = 'zZnt%'.includes(letter);
    if (!plain && rng.chance(0.12)) directive += rng.pick(['-', '_', '0', '^', '#']);
    if (!plain && rng.chance(0.08)) directive += String(rng.int(1, 12));
    if (rng.chance(0.12)) directive += rng.pick(['E', 'O']);
    directive += letter;
    out += directive;
  }
  return out;
}

const NAMES = ['root', 'app', 'app.db', 'gunicorn.error', '🚀.x', 'ünï.côdé', 'a'.repeat(30), 'x y'];
const WORDS = ['MainProcess', 'MainThread', 'Thread-7', 'wörker', '🚀', 'main', '<module>', 'write_logs', ''];

export function genRecord(rng: Rng): ParityRecord {
  // From 2000: older dates meet historical zone abbreviations (`%Z`) where ICU and tzdata differ.
  const created = rng.int(946_684_800, 2_100_000_000) + rng.next();
  const fraction = created - Math.floor(created);
  return {
    name: rng.pick(NAMES),
    levelno: rng.pick([10, 20, 30, 40, 50, 25, 5, 0]),
    created,
    msecs: rng.chance(0.8) ? Math.floor(fraction * 1000) : Math.round(rng.next() * 999999) / 1000,
    relativeCreated: rng.chance(0.5) ? rng.next() * 10 ** rng.int(0, 8) : rng.int(0, 100000),
    process: rng.int(1, 4194304),
    processName: rng.pick(WORDS),
    thread: rng.chance(0.5) ? rng.int(1, 2 ** 31) : rng.int(2 ** 40, 2 ** 47),
    threadName: rng.pick(WORDS),
    pathname: rng.pick(['/srv/app/main.py', '/tmp/ünï/x.js', 'C:\\a\\b.ts']),
    filename: rng.pick(['main.py', 'x.js', 'b.ts']),
    module: rng.pick(WORDS),
    funcName: rng.pick(WORDS),
    lineno: rng.int(0, 99999),
  };
}
