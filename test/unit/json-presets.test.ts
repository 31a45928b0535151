/**
 * JSON the ecosystem reads: the `pino` preset writes what real pino writes for the same call and
 * pino-pretty renders it; `ecs` and `otel` use their schemas' names; in every shape errors keep
 * type, message, stack, code, causes and aggregated errors, and values JSON cannot hold as they
 * are (cycles, BigInt, Map, Set, typed arrays) are written usefully.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import pino from 'pino';
import { prettyFactory } from 'pino-pretty';
import { CRITICAL, DEBUG, ERROR, INFO, TRACE, WARNING } from '../../src/core/levels.js';
import { LogRecord } from '../../src/core/record.js';
import { JsonFormatter } from '../../src/format/json.js';
import { makeRecord } from '../fixtures/format-records.js';

/** Lines real pino writes for `call`, parsed. */
function pinoLines(call: (logger: pino.Logger) => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  call(pino({ level: 'trace' }, sink));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The parts of a line that differ between two loggers by nature: time, and the stack frames of the logging call. */
function comparable(line: Record<string, unknown>): Record<string, unknown> {
  const { time, ...rest } = line;
  assert.equal(typeof time, 'number', 'time is epoch milliseconds');
  return JSON.parse(JSON.stringify(rest).replace(/\\n {4}at [^"]*?(?=\\n|")/g, '')) as Record<string, unknown>;
}

function outerError(): Error {
  const inner = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
  return Object.assign(new Error('saving failed', { cause: inner }), { code: 'E_SAVE', statusCode: 500 });
}

describe('the pino preset', () => {
  const f = new JsonFormatter({ preset: 'pino' });
  const record = (levelno: number, msg: unknown, ...args: unknown[]) => new LogRecord('', levelno, msg, args);

  test('writes what pino writes for the same calls (pino’s own err serializer included)', () => {
    const err = outerError();
    const agg = new AggregateError([new TypeError('a'), outerError()], 'both failed');
    const expected = pinoLines((log) => {
      log.info('hello %s', 'world');
      log.info({ user: 'ada', n: 3, nested: { ok: true } }, 'with fields');
      log.error({ err }, 'request failed');
      log.error(err, 'as first argument');
      log.error(agg);
      log.warn(
        {
          big: 10n,
          cyclic: (() => {
            const c: Record<string, unknown> = { a: 1 };
            c['self'] = c;
            return c;
          })(),
        },
        'unusual values',
      );
    });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const ours = [
      record(INFO, 'hello %s', 'world'),
      record(INFO, { user: 'ada', n: 3, nested: { ok: true } }, 'with fields'),
      record(ERROR, { err }, 'request failed'),
      record(ERROR, err, 'as first argument'),
      record(ERROR, agg),
      record(WARNING, { big: 10n, cyclic }, 'unusual values'),
    ].map((r) => JSON.parse(f.format(r)) as Record<string, unknown>);
    assert.equal(ours.length, expected.length);
    for (let i = 0; i < ours.length; i++) {
      const { name, ...mine } = comparable(ours[i]!);
      assert.equal(name, 'root', 'the logger name is pino’s `name`');
      assert.deepEqual(mine, comparable(expected[i]!), `line ${i}`);
      assert.deepEqual(Object.keys(mine), Object.keys(comparable(expected[i]!)), `key order of line ${i}`);
    }
  });

  test('levels on pino’s scale', () => {
    const levels = [TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL, 25].map(
      (l) => (JSON.parse(f.format(record(l, 'x'))) as { level: number }).level,
    );
    assert.deepEqual(levels, [10, 20, 30, 40, 50, 60, 30]);
  });

  test('pino-pretty reads the lines as pino’s own', () => {
    const pretty = prettyFactory({ colorize: false, translateTime: false });
    const text = pretty(
      f.format(new LogRecord('app.db', WARNING, { err: outerError(), reqId: 'r-1' }, ['slow query'])),
    );
    assert.match(text, /^\[\d+\] WARN \(app\.db\/\d+\): slow query\n/); // pino-pretty hides the hostname by default
    assert.match(text, /reqId: "r-1"/);
    assert.match(
      text,
      /err: \{\n\s+"type": "Error",\n\s+"message": "saving failed: disk full",\n\s+"stack":\n\s+Error: saving failed\n/,
    );
    assert.match(text, /caused by: Error: disk full/);
    assert.match(text, /"code": "E_SAVE"/);
    const fatal = pretty(f.format(new LogRecord('app', CRITICAL, 'down', [])));
    assert.match(fatal, /FATAL \(app\/\d+\): down/);
  });
});

describe('the ecs and otel presets', () => {
  test('ecs: @timestamp, log.level, log.logger, message, error.*, process.pid, host.hostname, ecs.version', () => {
    const line = JSON.parse(
      new JsonFormatter({ preset: 'ecs' }).format(
        makeRecord({ levelno: ERROR, msg: 'failed', extra: { err: outerError(), order: 7 } }),
      ),
    ) as Record<string, unknown>;
    assert.equal(line['@timestamp'], '2020-10-15T18:47:04.825Z');
    assert.equal(line['log.level'], 'error');
    assert.equal(line['log.logger'], 'app.db');
    assert.equal(line['message'], 'failed');
    assert.equal(line['process.pid'], 4242);
    assert.equal(typeof line['host.hostname'], 'string');
    assert.equal(line['ecs.version'], '8.11.0');
    assert.equal(line['order'], 7);
    assert.equal(line['err'], undefined, 'the err field is the record’s error, written once');
    const error = line['error'] as Record<string, string>;
    assert.equal(error['type'], 'Error');
    assert.equal(error['message'], 'saving failed: disk full');
    assert.match(error['stack_trace']!, /^Error: saving failed\n[\s\S]*caused by: Error: disk full/);
    assert.equal(error['code'], 'E_SAVE');
  });

  test('otel: timestamp, severity_text, severity_number, body, attributes with exception.*', () => {
    const f = new JsonFormatter({ preset: 'otel' });
    const line = JSON.parse(
      f.format(makeRecord({ levelno: WARNING, msg: 'slow', exc: new RangeError('too slow'), extra: { ms: 950 } })),
    ) as Record<string, unknown>;
    assert.equal(line['timestamp'], '2020-10-15T18:47:04.825Z');
    assert.equal(line['severity_text'], 'WARNING');
    assert.equal(line['severity_number'], 13);
    assert.equal(line['body'], 'slow');
    assert.deepEqual(line['instrumentation_scope'], { name: 'app.db' });
    assert.equal((line['resource'] as Record<string, unknown>)['process.pid'], process.pid);
    const attributes = line['attributes'] as Record<string, unknown>;
    assert.equal(attributes['ms'], 950);
    assert.equal(attributes['exception.type'], 'RangeError');
    assert.equal(attributes['exception.message'], 'too slow');
    assert.match(attributes['exception.stacktrace'] as string, /^RangeError: too slow\n/);
    const severities = [TRACE, DEBUG, INFO, ERROR, CRITICAL].map(
      (l) => (JSON.parse(f.format(makeRecord({ levelno: l }))) as { severity_number: number }).severity_number,
    );
    assert.deepEqual(severities, [1, 5, 9, 17, 21]);
    assert.equal(
      (JSON.parse(f.format(makeRecord())) as Record<string, unknown>)['attributes'],
      undefined,
      'no attributes when there are none',
    );
  });

  test('a preset’s keys can be renamed and keep every other key; an unknown preset is refused', () => {
    const line = JSON.parse(
      new JsonFormatter({ preset: 'pino', keys: { message: 'message', hostname: null } }).format(makeRecord()),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['level', 'time', 'pid', 'name', 'message']);
    assert.throws(
      () => new JsonFormatter({ preset: 'bunyan' as never }),
      /Unknown JSON preset "bunyan": expected 'pino', 'ecs' or 'otel'/,
    );
  });
});

describe('values in every shape', () => {
  const shapes = [
    new JsonFormatter(),
    new JsonFormatter({ preset: 'pino' }),
    new JsonFormatter({ preset: 'ecs' }),
    new JsonFormatter({ preset: 'otel', fields: true }),
  ];

  test('Map, Set, Date, Buffer, typed arrays, BigInt, cycles and nested errors', () => {
    const shared = { id: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic['self'] = cyclic;
    const extra = {
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: 2n }],
      ]),
      set: new Set(['x', 'y']),
      date: new Date(Date.UTC(2024, 0, 2)),
      buf: Buffer.from('hi'),
      floats: new Float64Array([1.5, 2]),
      bigs: new BigInt64Array([3n]),
      big: 12345678901234567890n,
      cyclic,
      deep: { list: [{ e: Object.assign(new TypeError('bad input'), { field: 'email' }) }] },
      gone: undefined,
      fn: () => 1,
    };
    for (const f of shapes) {
      const text = f.format(makeRecord({ extra }));
      const line = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual(line['map'], { a: 1, '2': { b: 2 } });
      assert.deepEqual(line['set'], ['x', 'y']);
      assert.equal(line['date'], '2024-01-02T00:00:00.000Z');
      assert.deepEqual(line['buf'], { type: 'Buffer', data: [104, 105] });
      assert.deepEqual(line['floats'], [1.5, 2]);
      assert.deepEqual(line['bigs'], [3]);
      assert.match(text, /"big":12345678901234567890[,}]/);
      assert.deepEqual(
        line['cyclic'],
        { shared: { id: 1 }, again: { id: 1 }, self: '[Circular]' },
        'a value seen twice is not a cycle',
      );
      const e = (line['deep'] as { list: Array<{ e: Record<string, unknown> }> }).list[0]!.e;
      assert.equal(e['type'], 'TypeError');
      assert.equal(e['message'], 'bad input');
      assert.equal(e['field'], 'email');
      assert.match(e['stack'] as string, /^TypeError: bad input\n/);
      assert.ok(!('gone' in line) && !('fn' in line));
    }
  });

  test('a message or a stack is never lost: errors as the message argument, with non-error causes', () => {
    const err = new Error('top', { cause: 'a string cause' });
    for (const f of shapes.slice(1)) {
      const text = f.format(new LogRecord('app', ERROR, err, []));
      assert.ok(text.includes('"top"') || text.includes('top'), text);
      assert.ok(text.includes('Error: top\\n    at '), 'the stack is written');
    }
    const pinoLine = JSON.parse(shapes[1]!.format(new LogRecord('app', ERROR, err, []))) as {
      msg: string;
      err: Record<string, unknown>;
    };
    assert.equal(pinoLine.msg, 'top');
    assert.equal(pinoLine.err['cause'], 'a string cause');
  });

  test('a toJSON that throws, and a very deep structure, do not break the line', () => {
    const bad = {
      toJSON() {
        throw new Error('nope');
      },
    };
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 10_000; i++) deep = deep['d'] = {};
    for (const f of shapes) {
      const line = JSON.parse(f.format(makeRecord({ extra: { bad, top, big: 1n } }))) as Record<string, unknown>;
      assert.equal(line['bad'], '[toJSON threw: nope]');
      assert.match(JSON.stringify(line['top']), /"\[Object\]"/);
    }
  });
});
