/**
 * Formatter parity with CPython: the same formats and record fields go through python3's
 * logging.Formatter and logdial's Formatter, in two time zones, and every line (or error message)
 * must be identical.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CRITICAL, DEBUG, WARNING } from '../../src/core/levels.js';
import { Formatter } from '../../src/format/formatter.js';
import type { FormatStyle } from '../../src/format/styles.js';
import { RECORD_DEFAULTS, type RecordInit, makeRecord } from '../fixtures/format-records.js';
import { sourceFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

interface FormatCase {
  fmt: string;
  datefmt?: string;
  style?: FormatStyle;
  defaults?: Record<string, unknown>;
}

/** Records in both DST states, single-digit days, a leap day, a custom level, non-ASCII text. */
const RECORDS: RecordInit[] = [
  {},
  {
    name: 'root',
    levelno: WARNING,
    msg: 'user %s logged in %d times',
    args: ['bob', 3],
    created: 1700000000.007,
    msecs: 7,
    lineno: 7,
    relativeCreated: 12,
  },
  {
    name: 'gunicorn.error',
    levelno: CRITICAL,
    msg: 'it\'s ünïcode "quoted"',
    created: 1704171845,
    msecs: 0,
    funcName: '<module>',
    thread: 255,
  },
  {
    name: 'x',
    levelno: 25,
    msg: 'custom level',
    created: 1709251199.999,
    msecs: 999,
    relativeCreated: 0.25,
    lineno: 123456,
  },
  {
    levelno: DEBUG,
    msg: '100% done',
    created: 1262304000.5,
    msecs: 500,
    process: 1,
    extra: { user: 'alice', n: 12345, ratio: 0.125 },
  },
];

const WITH_EXTRA: RecordInit = { extra: { user: 'bob', n: 12345, ratio: 0.125 }, msg: 'x %s %d', args: ['a', 1] };

const FORMATS: FormatCase[] = [
  // % style
  { fmt: '%(message)s' },
  { fmt: '%(levelname)s:%(name)s:%(message)s' },
  { fmt: '%(asctime)s %(levelname)-8s %(name)s %(message)s' },
  { fmt: '%(levelname)-8s|%(name)5.3s|%%|%(lineno)04d' },
  { fmt: '%(levelno)03d %(levelname).1s %(message).5s|%(message).50s' },
  { fmt: '%(message)r %(name)r %(levelno)r %(msecs)r' },
  { fmt: '%(created)f %(msecs)d %(relativeCreated).2f %(msecs)03d' },
  { fmt: '%(created)s %(msecs)s %(relativeCreated)s %(levelno)s %(lineno)s' },
  { fmt: '[%(asctime)s.%(msecs)03d] %(levelname)s [%(filename)s:%(lineno)d] >> %(message)s' },
  { fmt: '%(asctime)s [%(process)d] [%(levelname)s] %(message)s', datefmt: '%Y-%m-%d %H:%M:%S' },
  { fmt: '%(levelname)-5.5s [%(name)s] %(message)s %(asctime)s', datefmt: '%H:%M:%S' },
  {
    fmt: '%(process)+d %(thread)x %(lineno)#o %(lineno)#X %(levelno)e %(created).3E %(msecs)g %(created)G %(relativeCreated)i',
  },
  { fmt: '%(threadName)s %(processName)s %(module)s.%(funcName)s %(pathname)s' },
  { fmt: '%(message)10s|%(message)-10s|%(levelno)-6d|%(levelno)06.1f|%(levelno) d|%(levelno)#8.3x' },
  { fmt: '%(asctime)s', datefmt: '%a %A %b %B %d %j %y %Y %m %H %I %M %S %p %%' },
  { fmt: '%(asctime)s', datefmt: '%z %Z' },
  { fmt: '%(asctime)s', datefmt: '%c | %x | %X | %D | %T | %F | %R | %r' },
  { fmt: '%(asctime)s', datefmt: '%e %k %l %u %w %U %W %V %G %g %C %s %h|%f|%P' },
  { fmt: '%(asctime)s|%(message)s', datefmt: '%-d/%-m %_H %-I%p %10Y' },
  { fmt: '%(message)s %(custom)s %(name)s', defaults: { custom: 'dflt', name: 'never used' } },
  { fmt: '%(levelno)5.2d %(message)a %(created).0f %(msecs).1f' },
  { fmt: '%(asctime)s', datefmt: '' },
  { fmt: '%(relativeCreated).1f %(relativeCreated).0f %(msecs).0e %(created).12g %(relativeCreated)#.3g' },
  { fmt: '%(message)-20.3s|%(levelno)+05d|%(levelno)-+5d|%(args)r|%(thread)#o' },
  // { style
  {
    fmt: '{relativeCreated:.1f} {relativeCreated:.0e} {lineno:010,} {msecs:,.2f} {name!r:^12} {message:.0}|',
    style: '{',
  },
  { fmt: '{levelname:>8} {name:.3} {message!r} {lineno:05d}', style: '{' },
  { fmt: '{asctime} {levelname:<8}|{name:^11}|{message}', style: '{' },
  { fmt: '{created:.3f} {msecs:03.0f} {relativeCreated} {msecs} {created}', style: '{' },
  { fmt: '{levelno:+d} {levelno:x} {levelno:#b} {lineno:_} {process:,} {thread:#_x}', style: '{' },
  { fmt: '{message!s:*^20} {name!a} {levelname:.1} {message!r:>30}', style: '{' },
  { fmt: '{created:e} {created:.2%} {msecs:g} {created:.10} {relativeCreated:.3} {msecs:.1}', style: '{' },
  { fmt: '{name:{width}}|{levelno:{fill}>{width}}', style: '{', defaults: { width: 10, fill: '.' } },
  { fmt: '{asctime}', datefmt: '%Y/%m/%d %I:%M:%S %p', style: '{' },
  { fmt: '{levelno:=+8} {lineno:08,d} {created:020,.2f} {levelno:<05} {name:_<10} {levelno:^+9.2f}', style: '{' },
  { fmt: '{{literal}} {levelno:c} {lineno:o} {levelno:X} {created:E} {msecs:G}', style: '{' },
  // $ style
  { fmt: '$name ${levelname} $$ $message', style: '$' },
  { fmt: '${asctime} - $levelname - ${module}.${funcName}: $message', style: '$' },
  { fmt: '$created $msecs $levelno $lineno $process $relativeCreated', style: '$' },
  { fmt: '$custom:$name', style: '$', defaults: { custom: 'D' } },
  { fmt: '$$name $name$$ ${name}x', style: '$' },
  // errors: construction and format time
  { fmt: 'hello' },
  { fmt: 'hello', style: '{' },
  { fmt: 'hello $', style: '$' },
  { fmt: 'cost $5 for $name', style: '$' },
  { fmt: '{name!x}', style: '{' },
  { fmt: '{name:~>>8}', style: '{' },
  { fmt: '{name', style: '{' },
  { fmt: '{name} a}', style: '{' },
  { fmt: '{name.}', style: '{' },
  { fmt: '%(foo)s' },
  { fmt: '{foo}', style: '{' },
  { fmt: '$foo', style: '$' },
  { fmt: '%(message)s %q' },
  { fmt: '%(message)s %' },
  { fmt: '%(message)s', style: 'x' as FormatStyle },
  { fmt: '%(levelname)d' },
  { fmt: '{levelname:d}', style: '{' },
  { fmt: '{created:d}', style: '{' },
  { fmt: '{levelno:.2}', style: '{' },
];

const EXTRA_FORMATS: FormatCase[] = [
  { fmt: '%(args)s %(msg)s %(user)s %(n)05d %(ratio).2f %(message)s' },
  { fmt: '{args[0]} {args[1]:>4} {user} {n:,} {ratio:.1%}', style: '{' },
  { fmt: '$user $n $ratio', style: '$' },
];

function pythonRecord(init: RecordInit): Record<string, unknown> {
  return { ...RECORD_DEFAULTS, ...init };
}

function logdialRender(c: FormatCase, init: RecordInit): { ok: string } | { error: string } {
  try {
    const formatter = new Formatter(c.fmt, c.datefmt, c.style ?? '%', true, c.defaults);
    return { ok: formatter.format(makeRecord(init)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const savedTz = process.env['TZ'];
after(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('Formatter output equals CPython logging.Formatter', () => {
  const cases: Array<{ format: FormatCase; record: RecordInit }> = [];
  for (const format of FORMATS) for (const record of RECORDS) cases.push({ format, record });
  for (const format of EXTRA_FORMATS) cases.push({ format, record: WITH_EXTRA });

  test('the case list covers at least 30 format strings in three styles', () => {
    assert.ok(FORMATS.length + EXTRA_FORMATS.length >= 30);
    for (const style of ['%', '{', '$']) assert.ok(FORMATS.some((f) => (f.style ?? '%') === style));
  });

  for (const tz of ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata']) {
    test(`TZ=${tz}: ${cases.length} records formatted line by line`, async () => {
      const input = JSON.stringify(
        cases.map(({ format, record }) => ({
          ...format,
          datefmt: format.datefmt ?? null,
          record: pythonRecord(record),
        })),
      );
      const python = await run('python3', [join(sourceFixtures, 'format-parity.py')], {
        input,
        env: { ...process.env, TZ: tz },
        timeoutMs: 30_000,
      });
      assert.equal(python.code, 0, python.stderr);
      const expected = JSON.parse(python.stdout) as Array<{ ok?: string; error?: string }>;
      process.env['TZ'] = tz;
      const mismatches: string[] = [];
      cases.forEach(({ format, record }, i) => {
        const actual = logdialRender(format, record);
        if (JSON.stringify(actual) !== JSON.stringify(expected[i])) {
          mismatches.push(
            `${JSON.stringify(format)} record ${RECORDS.indexOf(record)}\n  python:  ${JSON.stringify(expected[i])}\n  logdial: ${JSON.stringify(actual)}`,
          );
        }
      });
      assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases.length} differ:\n${mismatches.join('\n')}`);
    });
  }
});

describe('number rendering equals CPython (ties round half to even)', () => {
  const values = [
    0,
    0.5,
    1.5,
    2.5,
    0.125,
    0.375,
    2.675,
    1.005,
    123456.785,
    1e-5,
    1.5e-7,
    9.995,
    99.95,
    999999.5,
    1e16,
    1.7976931348623157e308,
    5e-324,
    1602787624.825,
    825,
    12345678901234567168,
    -2.5,
    -0.125,
    0.1 + 0.2,
    1 / 3,
    2 ** 53 + 2,
  ];
  const percentSpecs = [
    '%f',
    '%.0f',
    '%.1f',
    '%.2f',
    '%.3e',
    '%.0e',
    '%e',
    '%g',
    '%.1g',
    '%.3g',
    '%#.3g',
    '%.10g',
    '%+.2f',
    '%010.3f',
    '%-12.4e|',
    '%d',
  ];
  const braceSpecs = [
    '',
    '.0f',
    '.1f',
    '.2f',
    '.2e',
    '.1',
    '.3',
    '.12',
    'g',
    '.2g',
    ',.2f',
    '_.1f',
    '.1%',
    '+015.3f',
    '^14.2e',
    '=+12.1f',
  ];

  test(`${values.length} values × ${percentSpecs.length + braceSpecs.length} specs`, async () => {
    const script = [
      'import json, sys',
      'def attempt(f):',
      '    try:',
      '        return f()',
      '    except Exception as e:',
      "        return 'ERR: ' + str(e)",
      'data = json.load(sys.stdin)',
      '# JavaScript has one number type: integral values count as int, as logdial treats them.',
      'values = [int(float(v)) if float(v).is_integer() else float(v) for v in data["values"]]',
      "out = [[attempt(lambda: s % v) for s in data['pct']] + [attempt(lambda: format(v, s)) for s in data['brace']] for v in values]",
      'json.dump(out, sys.stdout)',
    ].join('\n');
    const input = JSON.stringify({ values, pct: percentSpecs, brace: braceSpecs });
    const python = await run('python3', ['-c', script], { input, timeoutMs: 30_000 });
    assert.equal(python.code, 0, python.stderr);
    const expected = JSON.parse(python.stdout) as string[][];
    const mismatches: string[] = [];
    values.forEach((value, i) => {
      const attempt = (fmt: string, style: FormatStyle) => {
        try {
          return new Formatter(fmt, null, style).format(makeRecord({ extra: { ratio: value } }));
        } catch (error) {
          return `ERR: ${(error as Error).message}`;
        }
      };
      const actual = [
        ...percentSpecs.map((spec) => attempt(spec.replace('%', '%(ratio)'), '%')),
        ...braceSpecs.map((spec) => attempt(`{ratio${spec ? ':' + spec : ''}}`, '{')),
      ];
      actual.forEach((text, j) => {
        if (text !== expected[i]![j])
          mismatches.push(
            `${value} ${[...percentSpecs, ...braceSpecs][j]}: python ${JSON.stringify(expected[i]![j])}, logdial ${JSON.stringify(text)}`,
          );
      });
    });
    assert.equal(mismatches.length, 0, mismatches.join('\n'));
  });
});
