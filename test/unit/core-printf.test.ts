import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bareFormatOf, printf, renderBare } from '../../src/core/printf.js';

const fmt = (format: string, ...args: unknown[]) => printf(format, args).text;

test('message without arguments is used as it is', () => {
  assert.equal(printf('100% done', []).text, '100% done');
});

test('%s %d %i %f %x %% with width and precision follow Python', () => {
  assert.equal(fmt('%s|%5s|%-5s|%.2s', 'ab', 'ab', 'ab', 'abcdef'), 'ab|   ab|ab   |ab');
  assert.equal(fmt('%d %i %05d %+d %-4d|', 42, -7, 42, 3, 9), '42 -7 00042 +3 9   |');
  assert.equal(fmt('%d', 3.9), '3');
  assert.equal(fmt('%f %.2f %8.3f %-8.1f|', 1.5, 3.14159, 2.5, -1.25), '1.500000 3.14    2.500 -1.2    |');
  assert.equal(fmt('%x %X %#x %o', 255, 255, 255, 8), 'ff FF 0xff 10');
  assert.equal(fmt('%e %g %g %g', 12345.678, 0.0001, 123456789, 1.5), '1.234568e+04 0.0001 1.23457e+08 1.5');
  assert.equal(fmt('50%% of %s', 'x'), '50% of x');
});

test('%r gives Python repr', () => {
  assert.equal(fmt('%r %r %r', 'it', "it's", null), "'it' \"it's\" None");
  assert.equal(fmt('%r', new TypeError('bad')), "TypeError('bad')", 'an error as Python shows an exception');
});

test("Node's %j and %O render objects; %o is Python's octal, so an object there is marked", () => {
  assert.equal(fmt('%j', { a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(fmt('%O', { a: 1 }), '{ a: 1 }');
  assert.equal(fmt('%o', { a: 1 }), '%!o(dict={ a: 1 })');
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  assert.equal(fmt('%j', circular), '[Circular]');
});

test('mapping keys read from an object argument', () => {
  assert.equal(fmt('%(user)s has %(n)03d', { user: 'ann', n: 7 }), 'ann has 007');
});

test('placeholders without arguments stay; unknown conversions stay', () => {
  assert.equal(fmt('%s and %s', 'one'), 'one and %s');
  assert.equal(fmt('%y %s', 'z'), '%y z');
});

test('consumed counts the arguments used, so the rest can become fields or errors', () => {
  assert.equal(printf('%s', ['a', 'b']).consumed, 1);
  assert.equal(printf('no placeholders', ['a']).consumed, 0);
});

test('bare %s %d %i (the fast path) render exactly as with a spec; zero padding goes after 0x', () => {
  const values: unknown[] = [
    'x',
    '',
    0,
    -0,
    7,
    -7,
    3.9,
    -3.9,
    1e21,
    2 ** 53 + 2,
    Number.NaN,
    Infinity,
    true,
    null,
    undefined,
    10n,
    [1, 2],
    { a: 1 },
  ];
  for (const value of values) {
    for (const type of ['s', 'd', 'i']) {
      // `%0<type>` has a flag, so it takes the general path; width 0 leaves the text as it is.
      assert.equal(fmt(`%${type}`, value), fmt(`%0${type}`, value), `%${type} of ${String(value)}`);
    }
  }
  assert.equal(fmt('%d|%i|%d', -0, 5, -12), '0|5|-12');
  assert.equal(fmt('%#06x|%#06X|%#6o|%06x', 255, 255, 8, -255), '0x00ff|0X00FF|  0o10|-000ff');
});

test('a format split once (bare %s %d %i and %%) renders what printf renders, or leaves it to printf', () => {
  const cases: Array<[string, unknown[]]> = [
    ['hello world %d', [42]],
    ['%s took %d ms (%i%%)', ['get', 12, -3]],
    ['%s|%s', [null, 1.5]],
    ['%d and %s', [-0, { a: 1 }]],
    ['tail %s', ['x', 'extra']],
    ['100%% %s', ['done']],
    ['%d', [3.9]],
    ['%d %d', [1]],
    ['%5d', [1]],
    ['%(key)s', [{ key: 'v' }]],
    ['ends with %', ['x']],
  ];
  for (const [format, args] of cases) {
    const bare = bareFormatOf(format);
    const text = bare === null ? undefined : renderBare(bare, args);
    if (text !== undefined) assert.equal(text, printf(format, args).text, format);
    if (text !== undefined) assert.equal(bare!.types.length, printf(format, args).consumed, format);
  }
  assert.equal(bareFormatOf('%5d'), null, 'a spec is not bare');
  assert.equal(renderBare(bareFormatOf('%d')!, [3.9]), undefined, 'a fraction for %d is printf’s');
  assert.equal(renderBare(bareFormatOf('%d %d')!, [1]), undefined, 'a missing argument is printf’s');
  assert.equal(bareFormatOf('hello %s'), bareFormatOf('hello %s'), 'split once');
});

test('formats built at run time still split; a long format is left to printf', () => {
  for (let i = 0; i < 2_000; i++) assert.ok(bareFormatOf(`request ${i} %s`));
  assert.equal(bareFormatOf(`${'x'.repeat(300)} %s`), null, 'a long format is left to printf');
});
