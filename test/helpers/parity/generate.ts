/**
 * The seeded case generator of the differential test: format strings of the three styles with
 * random flags, widths, precisions and conversions; records with random fields and time zones;
 * messages with printf placeholders over argument values of every kind; datefmts with flags,
 * widths and glibc's E/O modifiers. The same seed always gives the same cases.
 */
import type { FormatStyle } from '../../../src/format/styles.js';
import { genDatefmt, genFormat, genRecord, percentFlags } from './formats.js';
import { Rng } from './rng.js';
import { type Encoded, encode, jsText } from './values.js';

export { Rng };

/** A message placeholder: the conversion spec after `%` (`-5.2f`), and the argument index or mapping key. */
export interface Placeholder {
  spec: string;
  arg: number | string;
}

export interface ParityRecord {
  name: string;
  levelno: number;
  created: number;
  msecs: number;
  relativeCreated: number;
  process: number;
  processName: string;
  thread: number;
  threadName: string;
  pathname: string;
  filename: string;
  module: string;
  funcName: string;
  lineno: number;
}

export interface ParityCase {
  id: number;
  tz: string;
  /** Python's `converter = time.gmtime` (logdial's `utc`). */
  utc: boolean;
  fmt: string;
  style: FormatStyle;
  datefmt: string | null;
  record: ParityRecord;
  /** The message format (`record.msg`), and its parts: literal text (unescaped) or placeholders. */
  msg: string;
  parts: Array<string | Placeholder>;
  /** Positional arguments, or (when `mapping`) one dict argument. */
  args: Encoded[];
  mapping: boolean;
  /** Per argument (or mapping key): JavaScript's `%s` text when the value model prints it JavaScript's way. */
  jsTexts: Record<string, string>;
  extra: Record<string, Encoded>;
}

export const TIME_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
];

const STRINGS = [
  '',
  'abc',
  'hello world',
  "it's",
  '"q"',
  `both ' and "`,
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'cr\rx',
  '\x00nul',
  '\x1b[31mred',
  '\x7f',
  '\x85x',
  'ﬃ_\xad_app',
  'nb\xa0sp',
  '\ufeffbom',
  '\uffff',
  'שלום',
  'é',
  'e\u0301',
  '🚀',
  '🚀-é',
  '日本語',
  '\u2028ls',
  '\u200bzw',
  'Ω≈ç',
  '%s',
  '{x}',
  '$x',
  '\u3000ideo',
  'x'.repeat(40),
];
const CHARS = ['a', 'Z', 'é', '🚀', '\n', '\x00', '\xad', '%', '日'];
const SAFE_INTS = [
  0,
  1,
  -1,
  7,
  42,
  -255,
  255,
  1000,
  65,
  128640,
  0x10ffff,
  0x110000,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 - 1,
  -(2 ** 53 - 1),
];
const BIG_DOUBLES = [2 ** 53 + 2, 1e21, 1e22, -1e22, 2 ** 64, 12345678901234567168, 1.5e300, 1.7976931348623157e308];
const FLOATS = [
  0.5,
  2.5,
  -2.5,
  0.125,
  1.005,
  2.675,
  9.995,
  99.95,
  1e-5,
  1.234e-7,
  -5.025336726673369e-6,
  1e16,
  1.5e16,
  123456.785,
  5e-324,
  0.1 + 0.2,
  1 / 3,
  -0,
  Number.NaN,
  Infinity,
  -Infinity,
  3.9,
  -3.9,
  949.5,
];
const BIGINTS = [0n, 5n, -5n, 9007199254740993n, 18446744073709551616n, -(2n ** 100n), 1114111n];
const CONTAINERS: unknown[] = [
  [],
  [1, 'a', null],
  [[1, 2], { a: 1 }],
  [true, 1.5, 9007199254740993n, undefined],
  {},
  { a: 1 },
  { 'k y': 'v', n: null, b: false },
  { nested: { x: [1] } },
  { big: 5n, s: "it's" },
];

/** A value of a random kind (strings, ints, floats, bigints, booleans, null, undefined, containers). */
export function randomValue(rng: Rng, scalarOnly = false): unknown {
  const kind = rng.int(0, scalarOnly ? 8 : 10);
  switch (kind) {
    case 0:
    case 1:
      return rng.chance(0.8) ? rng.pick(STRINGS) : rng.pick(CHARS);
    case 2:
      return rng.chance(0.5) ? rng.pick(SAFE_INTS) : rng.int(-100000, 100000);
    case 3:
      return rng.pick(BIG_DOUBLES) * (rng.chance(0.3) ? -1 : 1);
    case 4:
      return rng.pick(FLOATS);
    case 5:
      return (rng.next() - 0.5) * 10 ** rng.int(-12, 24);
    case 6:
      return rng.pick(BIGINTS);
    case 7:
      return rng.chance(0.5);
    case 8:
      return rng.chance(0.5) ? null : undefined;
    default:
      return rng.pick(CONTAINERS);
  }
}

const TEXT = ['', ' ', 'user ', ' done', ': ', 'ünï ', '🚀 ', ' | ', 'x', '\t', ' 100'];

/** A value suited to a conversion type most of the time, any value otherwise (wrong types). */
function valueFor(rng: Rng, type: string): unknown {
  if (rng.chance(0.25)) return randomValue(rng);
  if ('sra'.includes(type)) return randomValue(rng);
  if (type === 'c') return rng.chance(0.5) ? rng.pick(CHARS) : rng.pick([65, 0x1f680, 0xe9, 0, 0x10ffff, true]);
  if ('xXo'.includes(type))
    return rng.pick([rng.pick(SAFE_INTS), rng.pick(BIGINTS), rng.chance(0.5), rng.pick(BIG_DOUBLES)]);
  return rng.pick([
    rng.pick(SAFE_INTS),
    rng.pick(BIG_DOUBLES),
    rng.pick(FLOATS),
    rng.pick(BIGINTS),
    rng.chance(0.5),
    (rng.next() - 0.5) * 10 ** rng.int(-8, 22),
  ]);
}

const MESSAGE_TYPES = 'ssssddrraiuoxXeEfFgGc';

/** A message with placeholders and its arguments (positional, or one mapping). */
function genMessage(rng: Rng): Pick<ParityCase, 'msg' | 'parts' | 'args' | 'mapping' | 'jsTexts'> {
  const mapping = rng.chance(0.15);
  const parts: Array<string | Placeholder> = [];
  const values: unknown[] = [];
  const dict: Record<string, unknown> = {};
  const jsTexts: Record<string, string> = {};
  let msg = '';
  const count = rng.int(mapping ? 1 : 0, 4);
  for (let i = 0; i <= count; i++) {
    const literal = rng.pick(TEXT) + (rng.chance(0.08) ? '%' : '');
    parts.push(literal);
    msg += literal.replaceAll('%', '%%');
    if (i === count) break;
    const type = rng.pick(MESSAGE_TYPES);
    const spec = percentFlags(rng) + type;
    const value = valueFor(rng, type);
    const arg = mapping ? rng.pick(['a', 'b', 'key', 'ünï']) : values.length;
    if (mapping) {
      if (!(arg in dict)) dict[arg] = value;
    } else values.push(value);
    const held = mapping ? dict[arg] : value;
    const text = jsText(held);
    if (text !== undefined) jsTexts[String(arg)] = text;
    parts.push({ spec, arg });
    msg += mapping ? `%(${arg})${spec}` : `%${spec}`;
  }
  const args = mapping ? [encode(dict)] : values.map(encode);
  return { msg, parts, args, mapping, jsTexts };
}

/** Case `id` of a seed; the same pair always gives the same case. */
export function genCase(seed: number, id: number): ParityCase {
  const rng = new Rng((seed * 2654435761 + id * 40503) >>> 0);
  const extra: Record<string, Encoded> = {};
  for (const key of ['user', 'n', 'ratio', 'flag', 'big']) extra[key] = encode(randomValue(rng, true));
  const style: FormatStyle = rng.pick(['%', '%', '{', '$']);
  return {
    id,
    tz: rng.pick(TIME_ZONES),
    utc: rng.chance(0.1),
    fmt: genFormat(rng, style),
    style,
    datefmt: rng.chance(0.4) ? null : genDatefmt(rng),
    record: genRecord(rng),
    ...genMessage(rng),
    extra,
  };
}
