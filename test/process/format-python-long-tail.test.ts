/**
 * Python parity, the long tail: one hand-written group per class of difference the differential
 * test found (BigInts, code-point widths, repr escaping, float repr, booleans, negative zero, the
 * `#` form, strftime modifiers, `args` of a mapping, brace edge cases, wrong-type arguments). The
 * expected strings are CPython's; the message cases are also run through python3 to prove it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { printf } from '../../src/core/printf.js';
import { Formatter } from '../../src/format/formatter.js';
import type { FormatStyle } from '../../src/format/styles.js';
import { strftime } from '../../src/format/strftime.js';
import { type RecordInit, makeRecord } from '../fixtures/format-records.js';
import { run } from '../helpers/proc.js';

const fmt = (format: string, ...args: unknown[]) => printf(format, args).text;
const field = (format: string, init: RecordInit, style: FormatStyle = '%') =>
  new Formatter(format, null, style).format(makeRecord(init));

/** [message format, JavaScript arguments, the same `%` expression in Python, CPython's result]. */
const MESSAGE_CASES: Array<[string, unknown[], string, string]> = [
  // 1. BigInts and integers beyond 2^53 keep every digit
  ['%u', [18446744073709551616n], "'%u' % 18446744073709551616", '18446744073709551616'],
  ['%d', [9007199254740993n], "'%d' % 9007199254740993", '9007199254740993'],
  ['%+x', [9007199254740993n], "'%+x' % 9007199254740993", '+20000000000001'],
  ['%d', [1e21], "'%d' % 1e21", '1000000000000000000000'],
  ['%r', [5n], "'%r' % 5", '5'],
  ['%s', [1e21], "'%s' % 1000000000000000000000", '1000000000000000000000'],
  // 2. widths and precisions count code points
  ['%9s|', ['🚀-é'], "'%9s|' % '🚀-é'", '      🚀-é|'],
  ['%4c', [128640], "'%4c' % 128640", '   🚀'],
  ['%+0c', ['🚀'], "'%+0c' % '🚀'", '🚀'],
  ['%.1s|%-3s|', ['🚀x', '🚀'], "'%.1s|%-3s|' % ('🚀x', '🚀')", '🚀|🚀  |'],
  // 3. %r and %a escape as Python's repr and ascii
  ['%r', ['ﬃ_\xad_app'], "'%r' % 'ﬃ_\\xad_app'", "'ﬃ_\\xad_app'"],
  [
    '%r %r %r',
    ['\xa0', '\ufeff', '\uffff'],
    "'%r %r %r' % ('\\xa0', '\\ufeff', '\\uffff')",
    "'\\xa0' '\\ufeff' '\\uffff'",
  ],
  ['%13a', ['שלום'], "'%13a' % 'שלום'", "'\\u05e9\\u05dc\\u05d5\\u05dd'"],
  ['%a', ['é🚀'], "'%a' % 'é🚀'", "'\\xe9\\U0001f680'"],
  [
    '%r',
    [[1, 'a', null, true, { k: 2.5 }]],
    "'%r' % ([1, 'a', None, True, {'k': 2.5}],)",
    "[1, 'a', None, True, {'k': 2.5}]",
  ],
  // 4. non-integral numbers print as Python floats
  ['%s', [-5.025336726673369e-6], "'%s' % -5.025336726673369e-06", '-5.025336726673369e-06'],
  ['%r', [1.234e-7], "'%r' % 1.234e-07", '1.234e-07'],
  ['%s %s', [0.1 + 0.2, 1.5e-300], "'%s %s' % (0.1 + 0.2, 1.5e-300)", '0.30000000000000004 1.5e-300'],
  // 5. booleans are integers under numeric conversions
  ['%+8o', [true], "'%+8o' % True", '      +1'],
  ['%x %X %d %.1f', [true, true, false, true], "'%x %X %d %.1f' % (True, True, False, True)", '1 1 0 1.0'],
  ['%c', [true], "'%c' % True", '\x01'],
  // 6. negative zero keeps its sign
  ['% 5.1f|% .1f', [-0, -0], "'% 5.1f|% .1f' % (-0.0, -0.0)", ' -0.0|-0.0'],
  ['%7e', [-0], "'%7e' % -0.0", '-0.000000e+00'],
  ['%g %s %d', [-0, -0, -0], "'%g %s %d' % (-0.0, -0.0, -0.0)", '-0 -0.0 0'],
  // 7. the # form keeps the point
  [
    '%#.0f %+#.0f %#.0e %#x %#o',
    [949, 5, 1, 255, 8],
    "'%#.0f %+#.0f %#.0e %#x %#o' % (949, 5, 1, 255, 8)",
    '949. +5. 1.e+00 0xff 0o10',
  ],
  // Python zero-pads inf and nan too
  ['%07E|%05f', [-Infinity, Number.NaN], "'%07E|%05f' % (float('-inf'), float('nan'))", '-000INF|00nan'],
];

describe('message arguments render as CPython renders them', () => {
  for (const [format, args, , expected] of MESSAGE_CASES) {
    test(`${format} of ${args.map((a) => (typeof a === 'bigint' ? `${a}n` : (JSON.stringify(a) ?? String(a)))).join(', ')}`, () => {
      assert.equal(fmt(format, ...args), expected);
    });
  }

  test('the expected strings are what python3 prints', async () => {
    const script = [
      'import json, sys',
      'cases = json.load(sys.stdin)',
      'sys.stdout.write(json.dumps([eval(c) for c in cases]))',
    ].join('\n');
    const python = await run('python3', ['-c', script], {
      input: JSON.stringify(MESSAGE_CASES.map((c) => c[2])),
      timeoutMs: 30_000,
    });
    assert.equal(python.code, 0, python.stderr);
    assert.deepEqual(
      JSON.parse(python.stdout),
      MESSAGE_CASES.map((c) => c[3]),
    );
  });
});

describe('format fields', () => {
  test('2. widths count code points: %(name)-6s of a name with an emoji', () => {
    assert.equal(field('%(name)-6s|', { name: '🚀.x' }), '🚀.x   |');
    assert.equal(field('{name:>6}|{name:.2}|', { name: '🚀.x' }, '{'), '   🚀.x|🚀.|');
  });

  test('3. {!r} and {!a} escape as repr and ascii', () => {
    assert.equal(field('{message!r} {message!a}', { msg: 'nb\xa0sp' }, '{'), "'nb\\xa0sp' 'nb\\xa0sp'");
  });

  test('7. %(msecs)#.0f keeps the point', () => {
    assert.equal(field('%(msecs)#.0f|%(msecs)+#.0f', { msecs: 949 }), '949.|+949.');
  });

  test('6. negative zero in a float field keeps its sign', () => {
    assert.equal(field('%(relativeCreated) 5.1f|{x}', { relativeCreated: -0, extra: { x: -0 } }), ' -0.0|{x}');
    assert.equal(field('{x}|{x:.1f}', { extra: { x: -0 } }, '{'), '-0.0|-0.0');
  });

  test('9. args of a single mapping is the mapping; BigInts in args print as ints', () => {
    assert.equal(field('%(args)s', { msg: '%(a)s', args: [{ a: 1 }] }), "{'a': 1}");
    assert.equal(field('{args}', { msg: '%(a)s', args: [{ a: 1 }] }, '{'), "{'a': 1}");
    assert.equal(field('$args', { msg: '%(a)s', args: [{ a: 1 }] }, '$'), "{'a': 1}");
    assert.equal(field('%(args)s', { msg: '%s %s', args: [5n, 'x'] }), "(5, 'x')");
    assert.equal(field('%(args)r', { msg: '%s', args: [{}] }), '({},)', 'an empty mapping stays in the tuple');
    assert.throws(
      () => field('{args:4}', { msg: '%s', args: ['x'] }, '{'),
      /unsupported format string passed to tuple.__format__/,
    );
    assert.throws(
      () => field('{args:4}', { msg: '%(a)s', args: [{ a: 1 }] }, '{'),
      /unsupported format string passed to dict.__format__/,
    );
  });

  test('10. brace edge cases: c right-aligns, 0= fills inside the grouping', () => {
    assert.equal(field('{lineno:7c}|{levelno:5c}|', { lineno: 65, levelno: 20 }, '{'), '      A|    \x14|');
    assert.equal(field('{relativeCreated:0=14,.3e}', { relativeCreated: 0 }, '{'), '00,000.000e+00');
    assert.throws(() => field('{lineno:,c}', {}, '{'), /Cannot specify ',' with 'c'\./);
    assert.throws(() => field('{name: }', {}, '{'), /Space not allowed in string format specifier/);
    assert.equal(field('{x:.1f}|{x:>3}', { extra: { x: true } }, '{'), '1.0|  1', 'a bool is an int under a spec');
  });

  test('11. a wrong type in a format field still raises Python’s error', () => {
    assert.throws(() => field('%(msecs)x', {}), /%x format: an integer is required, not float/);
    assert.throws(() => field('%(msecs)c', {}), /%c requires int or char/);
    assert.throws(
      () => field('%(args)d', { msg: '%s', args: ['x'] }),
      /%d format: a real number is required, not tuple/,
    );
  });
});

test('8. strftime reads the E and O modifiers as glibc does in the C locale', () => {
  const when = Date.UTC(2026, 10, 10, 15, 11, 32);
  assert.equal(strftime(' %Od|%ET|%Ey|%E%|%O%|%OH|%EY', when, true), ' 10|15:11:32|26|%|%|15|2026');
  assert.equal(
    strftime('%Ed|%Oc|%5q|%^Eq', when, true),
    '%Ed|%Oc|  %5q|%^EQ',
    'a modifier a directive does not take is copied',
  );
  assert.equal(strftime('%10T|%^a|%#a|%#p|%-5d|%1H', when, true), '  15:11:32|TUE|TUE|pm|   10|15');
  assert.equal(
    strftime('%-1I|%5%|%8E%e|%8E', when, true),
    '3|    %|       %e|     %8E',
    'glibc copies bad and unfinished directives, padded',
  );
});

describe('11. an argument of the wrong type is rendered, marked, and the line kept', () => {
  test('the mark names the conversion, the Python type and the value as %s renders it', () => {
    assert.equal(fmt('%d', ''), '%!d(str=)');
    assert.equal(fmt('%6e', null), '%!e(NoneType=null)');
    assert.equal(fmt('%c', []), '%!c(list=[])');
    assert.equal(fmt('% #7d', -Infinity), '%!d(float=-inf)');
    assert.equal(fmt('%x|%c|%o', 1.5, 'ab', { a: 1 }), '%!x(float=1.5)|%!c(str=ab)|%!o(dict={ a: 1 })');
    assert.equal(fmt('%d of %s', 'three', 'x'), '%!d(str=three) of x', 'the other placeholders still render');
    assert.equal(
      fmt('%d', new RangeError('too far')),
      '%!d(RangeError=RangeError: too far)',
      'an error in one line, without its stack',
    );
  });

  test('a record whose message has a wrong type is formatted, not dropped', () => {
    assert.equal(
      field('%(levelname)s %(message)s', { msg: 'took %d ms', args: ['lots'] }),
      'INFO took %!d(str=lots) ms',
    );
  });
});
