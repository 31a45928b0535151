/**
 * The `{` and `$` styles: Python's format-spec mini-language, conversions, nested specs, field
 * expressions, validation messages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Formatter } from '../../src/format/formatter.js';
import { makeRecord } from '../fixtures/format-records.js';

const brace = (fmt: string, defaults?: Record<string, unknown>) => new Formatter(fmt, null, '{', true, defaults);
const dollar = (fmt: string, defaults?: Record<string, unknown>) => new Formatter(fmt, null, '$', true, defaults);

describe('{ style', () => {
  test('alignment, truncation, repr, zero padding', () => {
    assert.equal(
      brace('{levelname:>8} {name:.3} {message!r} {lineno:05d}').format(makeRecord()),
      "    INFO app 'hello world' 00042",
    );
  });

  test('fill, centre, sign, grouping, alternate forms, percent', () => {
    const f = brace(
      '{name:*^10}|{levelno:+d}|{process:,}|{thread:_}|{levelno:#x}|{levelno:#b}|{msecs:.1%}|{levelno:=+6}',
    );
    assert.equal(f.format(makeRecord()), '**app.db**|+20|4,242|140_000|0x14|0b10100|82500.0%|+   20');
  });

  test('floats: typeless repr, f, e, g, half-to-even rounding', () => {
    const f = brace('{msecs} {created:.2f} {created:e} {msecs:g} {relativeCreated:.0f} {ratio:.1f}');
    assert.equal(
      f.format(makeRecord({ relativeCreated: 2.5, extra: { ratio: 0.25 } })),
      '825.0 1602787624.83 1.602788e+09 825 2 0.2',
    );
  });

  test('nested specs read other fields or defaults', () => {
    assert.equal(brace('{name:>{width}}|', { width: 8 }).format(makeRecord()), '  app.db|');
  });

  test('indexes and attributes reach into args and structured fields', () => {
    const f = brace('{args[0]} {args[1]:>3} {user.name} {user[id]}');
    assert.equal(
      f.format(makeRecord({ msg: '%s %s', args: ['a', 7], extra: { user: { name: 'ann', id: 3 } } })),
      'a   7 ann 3',
    );
  });

  test('doubled braces are literal', () => {
    assert.equal(brace('{{ {message} }}').format(makeRecord()), '{ hello world }');
  });

  test('validation errors read as Python’s', () => {
    const cases: Array<[string, string]> = [
      ['hello', 'invalid format: no fields'],
      ['{}', 'invalid format: no fields'],
      ['{name!x}', "invalid format: invalid conversion: 'x'"],
      ['{name:~>>8}', "invalid format: bad specifier: '~>>8'"],
      ['{name', "invalid format: expected '}' before end of string"],
      ['{name} }', "invalid format: Single '}' encountered in format string"],
      ['{a-b}', "invalid format: invalid field name/expression: 'a-b'"],
    ];
    for (const [fmt, message] of cases) assert.throws(() => brace(fmt), { name: 'FormatError', message }, fmt);
  });

  test('format-time errors: missing field, wrong spec for the type', () => {
    assert.throws(() => brace('{foo}').format(makeRecord()), {
      message: "Formatting field not found in record: 'foo'",
    });
    assert.throws(() => brace('{levelname:d}').format(makeRecord()), {
      message: "Unknown format code 'd' for object of type 'str'",
    });
    assert.throws(() => brace('{levelno:.2}').format(makeRecord()), {
      message: 'Precision not allowed in integer format specifier',
    });
  });
});

describe('$ style', () => {
  test('$name, ${name} and $$', () => {
    assert.equal(dollar('$name ${levelname} $$ ${message}!').format(makeRecord()), 'app.db INFO $ hello world!');
  });

  test('defaults and structured fields', () => {
    assert.equal(
      dollar('$env/$user: $message', { env: 'prod' }).format(makeRecord({ extra: { user: 'ann' } })),
      'prod/ann: hello world',
    );
  });

  test('validation errors read as Python’s', () => {
    assert.throws(() => dollar('no fields here'), { message: 'invalid format: no fields' });
    assert.throws(() => dollar('cost $5 for $name'), { message: "invalid format: bare '$' not allowed" });
  });

  test('a missing field and an invalid placeholder fail at format time when not validated', () => {
    assert.throws(() => dollar('$foo').format(makeRecord()), {
      message: "Formatting field not found in record: 'foo'",
    });
    const unchecked = new Formatter('$name costs $5', null, '$', false);
    assert.throws(() => unchecked.format(makeRecord()), { message: 'Invalid placeholder in string: line 1, col 13' });
  });
});
