/**
 * The `%`-style Formatter: validation, field lookup (record, structured fields, defaults),
 * errors, exception text, time, caller detection.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR } from '../../src/core/levels.js';
import { FormatError } from '../../src/format/errors.js';
import { Formatter } from '../../src/format/formatter.js';
import { makeRecord } from '../fixtures/format-records.js';

describe('% style formatting', () => {
  test('renders Python specs: width, alignment, precision, %%, repr', () => {
    const f = new Formatter('%(levelname)-8s|%(name)5.3s|%%|%(lineno)04d|%(levelno)03d|%(message).5s|%(message)r');
    assert.equal(f.format(makeRecord({ levelno: 30 })), "WARNING |  app|%|0042|030|hello|'hello world'");
  });

  test('the default format is %(message)s, and an empty format means the default', () => {
    assert.equal(new Formatter().fmt, '%(message)s');
    assert.equal(new Formatter('').format(makeRecord({ msg: 'a %s', args: ['b'] })), 'a b');
  });

  test('float fields print as Python floats, args as a tuple, None for absent values', () => {
    const f = new Formatter('%(msecs)s %(created)s %(args)s %(exc_info)s %(exc_text)s %(stack_info)s %(taskName)s');
    assert.equal(
      f.format(makeRecord({ msg: '%s', args: ['x', 2] })),
      "825.0 1602787624.825 ('x', 2) None None None None",
    );
  });

  test('structured fields are record attributes, as Python extra=', () => {
    const f = new Formatter('%(user)s %(count)05d %(ok)s %(nothing)s');
    assert.equal(
      f.format(makeRecord({ extra: { user: 'ann', count: 42, ok: true, nothing: null } })),
      'ann 00042 True None',
    );
  });

  test('a plain-object argument becomes fields the format can name', () => {
    const f = new Formatter('%(message)s [%(requestId)s]');
    assert.equal(f.format(makeRecord({ msg: 'served %s', args: ['/x', { requestId: 'r-1' }] })), 'served /x [r-1]');
  });

  test('an attribute a filter set on the record is found', () => {
    const record = makeRecord();
    (record as unknown as Record<string, unknown>)['tenant'] = 'acme';
    assert.equal(new Formatter('%(tenant)s: %(message)s').format(record), 'acme: hello world');
  });

  test('defaults fill fields the record lacks; the record wins', () => {
    const f = new Formatter('%(message)s %(custom)s %(name)s', null, '%', true, { custom: 'dflt', name: 'ignored' });
    assert.equal(f.format(makeRecord()), 'hello world dflt app.db');
    assert.equal(f.format(makeRecord({ extra: { custom: 'mine' } })), 'hello world mine app.db');
  });

  test('a missing field throws Python’s message from format(), not from the constructor', () => {
    const f = new Formatter('%(foo)s %(message)s');
    assert.throws(
      () => f.format(makeRecord()),
      (e: unknown) => e instanceof FormatError && e.message === "Formatting field not found in record: 'foo'",
    );
  });

  test('validation at construction uses Python’s messages', () => {
    const cases: Array<[string, string]> = [
      ['hello', "Invalid format 'hello' for '%' style"],
      ['%s and %d', "Invalid format '%s and %d' for '%' style"],
      ['%(name)', "Invalid format '%(name)' for '%' style"],
    ];
    for (const [fmt, message] of cases) assert.throws(() => new Formatter(fmt), { name: 'FormatError', message });
    assert.throws(() => new Formatter('%(message)s', null, '!' as '%'), { message: 'Style must be one of: %,{,$' });
  });

  test('validate=false accepts any format; errors then come from format()', () => {
    const f = new Formatter('plain text', null, '%', false);
    assert.equal(f.format(makeRecord()), 'plain text');
    const bad = new Formatter('%(message)s %q', null, '%', true);
    assert.throws(() => bad.format(makeRecord()), { message: 'not enough arguments for format string' });
  });

  test('a wrong value type raises Python’s TypeError text', () => {
    assert.throws(() => new Formatter('%(levelname)d').format(makeRecord()), {
      message: '%d format: a real number is required, not str',
    });
  });

  test('the error’s stack is appended on the next line and cached on the record', () => {
    const error = new Error('boom');
    const record = makeRecord({ levelno: ERROR, msg: 'failed', exc: error });
    const f = new Formatter('%(levelname)s %(message)s');
    const text = f.format(record);
    assert.ok(text.startsWith('ERROR failed\nError: boom\n    at '), text);
    assert.equal(record.exc_text, text.slice('ERROR failed\n'.length));
    // A second formatter reuses the cached text, as Python's exc_text.
    record.exc_text = 'cached';
    assert.equal(new Formatter().format(record), 'failed\ncached');
  });

  test('an Error argument the message does not consume becomes the record’s error', () => {
    const text = new Formatter().format(makeRecord({ msg: 'lost %s', args: ['db', new Error('gone')] }));
    assert.match(text, /^lost db\nError: gone\n/);
  });

  test('no extra newline when the message already ends with one', () => {
    const record = makeRecord({ msg: 'line\n' });
    record.exc_text = 'trace';
    assert.equal(new Formatter().format(record), 'line\ntrace');
  });

  test('stack_info is appended after the error', () => {
    const record = makeRecord();
    Object.defineProperty(record, 'stack_info', { value: 'Stack (most recent call last):\n  here' });
    assert.equal(new Formatter().format(record), 'hello world\nStack (most recent call last):\n  here');
  });

  test('usesCaller and usesTime follow the fields the format names', () => {
    assert.equal(new Formatter('%(message)s').usesCaller, false);
    for (const field of ['module', 'funcName', 'filename', 'pathname', 'lineno']) {
      assert.equal(new Formatter(`%(${field})s`).usesCaller, true, field);
      assert.equal(new Formatter(`{${field}}`, null, '{').usesCaller, true, field);
      assert.equal(new Formatter(`$${field}`, null, '$').usesCaller, true, field);
    }
    assert.equal(new Formatter('%(asctime)s').usesTime(), true);
    assert.equal(new Formatter('%(message)s').usesTime(), false);
    assert.equal(new Formatter('{asctime:>30}', null, '{').usesTime(), true);
    assert.equal(new Formatter('${asctime}', null, '$').usesTime(), true);
  });
});

describe('formatTime', () => {
  test('default asctime has Python’s comma and milliseconds, and is set on the record', () => {
    const f = new Formatter('%(asctime)s');
    f.utc = true;
    const record = makeRecord({ created: 1602787624.825, msecs: 825 });
    assert.equal(f.format(record), '2020-10-15 18:47:04,825');
    assert.equal(record.asctime, '2020-10-15 18:47:04,825');
  });

  test('the per-second cache never mixes milliseconds or seconds', () => {
    const f = new Formatter('%(asctime)s');
    f.utc = true;
    assert.equal(f.format(makeRecord({ created: 1602787624.005, msecs: 5 })), '2020-10-15 18:47:04,005');
    assert.equal(f.format(makeRecord({ created: 1602787624.05, msecs: 50 })), '2020-10-15 18:47:04,050');
    assert.equal(f.format(makeRecord({ created: 1602787625.999, msecs: 999 })), '2020-10-15 18:47:05,999');
  });

  test('datefmt gives strftime without milliseconds; defaultMsecFormat and defaultTimeFormat are honoured', () => {
    const record = makeRecord();
    const withDatefmt = new Formatter('%(asctime)s', '%H:%M:%S');
    withDatefmt.utc = true;
    assert.equal(withDatefmt.format(record), '18:47:04');
    const noMsecs = new Formatter('%(asctime)s');
    noMsecs.utc = true;
    noMsecs.defaultMsecFormat = null;
    assert.equal(noMsecs.format(record), '2020-10-15 18:47:04');
    const custom = new Formatter('%(asctime)s');
    custom.utc = true;
    custom.defaultTimeFormat = '%H:%M:%S';
    custom.defaultMsecFormat = '%s.%03d';
    assert.equal(custom.format(record), '18:47:04.825');
  });

  test('the gotcha %(asctime)s.%(msecs)03d doubles the milliseconds, as in Python', () => {
    const f = new Formatter('%(asctime)s.%(msecs)03d');
    f.utc = true;
    assert.equal(f.format(makeRecord()), '2020-10-15 18:47:04,825.825');
  });
});
