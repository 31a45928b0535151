/**
 * ColorFormatter with the seed's format, colorEnabledFor's environment rules, JsonFormatter
 * output, strftime in UTC, and the default formatter the library installs.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CRITICAL, DEBUG, ERROR, INFO, WARNING } from '../../src/core/levels.js';
import { ColorFormatter, colorEnabledFor, stripSurroundingQuotes } from '../../src/format/color.js';
import { JsonFormatter } from '../../src/format/json.js';
import { strftime } from '../../src/format/strftime.js';
import { Handler, type LogRecord } from '../../src/index.js';
import { makeRecord } from '../fixtures/format-records.js';
import { tempDir } from '../helpers/tmp.js';

/** The seed's info.conf format, quotes included, on one line. */
const SEED_FORMAT =
  "'$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s'";

function seedFormatter(): ColorFormatter {
  const f = new ColorFormatter(SEED_FORMAT);
  f.utc = true;
  return f;
}

describe('ColorFormatter', () => {
  test('the seed format without colour: quotes and tokens gone', () => {
    assert.equal(
      seedFormatter().format(makeRecord()),
      '2020-10-15 18:47:04,825 - main.write_logs - MainProcess - INFO - hello world',
    );
    assert.equal(
      seedFormatter().format(makeRecord(), { color: false }),
      '2020-10-15 18:47:04,825 - main.write_logs - MainProcess - INFO - hello world',
    );
  });

  test('the seed format with colour: ANSI codes in place of the tokens', () => {
    const text = seedFormatter().format(makeRecord(), { color: true });
    assert.equal(
      text,
      '\x1b[33m2020-10-15 18:47:04,825 \x1b[0m- \x1b[35mmain.write_logs \x1b[0m- \x1b[32mMainProcess \x1b[0m- \x1b[32mINFO \x1b[0m- hello world',
    );
  });

  test('$COLOR follows the record’s level; custom levels take the colour below them', () => {
    const f = new ColorFormatter('$COLOR|%(levelname)s');
    const colorOf = (levelno: number) => f.format(makeRecord({ levelno }), { color: true }).split('|')[0];
    assert.equal(colorOf(DEBUG), '\x1b[36m');
    assert.equal(colorOf(INFO), '\x1b[32m');
    assert.equal(colorOf(WARNING), '\x1b[33m');
    assert.equal(colorOf(ERROR), '\x1b[31m');
    assert.equal(colorOf(CRITICAL), '\x1b[1;31m');
    assert.equal(colorOf(25), '\x1b[32m');
  });

  test('every token is known, and the format is validated without them', () => {
    const f = new ColorFormatter('$BOLD$BLACK$RED$GREEN$YELLOW$BLUE$MAGENTA$CYAN$WHITE%(message)s$RESET');
    assert.equal(f.format(makeRecord()), 'hello world');
    assert.equal(
      f.format(makeRecord(), { color: true }),
      '\x1b[1m\x1b[30m\x1b[31m\x1b[32m\x1b[33m\x1b[34m\x1b[35m\x1b[36m\x1b[37mhello world\x1b[0m',
    );
    assert.throws(() => new ColorFormatter("'$RED just text'"), {
      message: "Invalid format ' just text' for '%' style",
    });
    assert.equal(new ColorFormatter("'$RED%(message)s'").usesCaller, false);
    assert.equal(seedFormatter().usesCaller, true);
  });

  test('tokens work in the { and $ styles too', () => {
    assert.equal(
      new ColorFormatter('$RED{message}$RESET', null, '{').format(makeRecord(), { color: true }),
      '\x1b[31mhello world\x1b[0m',
    );
    assert.equal(
      new ColorFormatter('$RED$message$RESET', null, '$').format(makeRecord(), { color: true }),
      '\x1b[31mhello world\x1b[0m',
    );
    assert.equal(new ColorFormatter('$RED$message$RESET', null, '$').format(makeRecord()), 'hello world');
  });

  test('only one matching pair of surrounding quotes is stripped', () => {
    assert.equal(stripSurroundingQuotes("'x'"), 'x');
    assert.equal(stripSurroundingQuotes('"x"'), 'x');
    assert.equal(stripSurroundingQuotes("''x''"), "'x'");
    assert.equal(stripSurroundingQuotes('\'x"'), '\'x"');
    assert.equal(stripSurroundingQuotes("'"), "'");
  });
});

describe('colorEnabledFor', () => {
  const saved = { FORCE_COLOR: process.env['FORCE_COLOR'], NO_COLOR: process.env['NO_COLOR'] };
  after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test('FORCE_COLOR first, then NO_COLOR, then whether the fd is a terminal', (t) => {
    const fd = openSync(join(tempDir(t), 'out.log'), 'w');
    t.after(() => closeSync(fd));
    const check = (force: string | undefined, noColor: string | undefined) => {
      if (force === undefined) delete process.env['FORCE_COLOR'];
      else process.env['FORCE_COLOR'] = force;
      if (noColor === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = noColor;
      return colorEnabledFor(fd);
    };
    assert.equal(check(undefined, undefined), false, 'a file is not a terminal');
    assert.equal(check('1', undefined), true);
    assert.equal(check('1', '1'), true, 'FORCE_COLOR wins over NO_COLOR');
    assert.equal(check('0', undefined), false);
    assert.equal(check('', undefined), false, 'empty FORCE_COLOR is unset');
    assert.equal(check(undefined, '1'), false);
    assert.equal(check(undefined, ''), false);
  });
});

describe('JsonFormatter', () => {
  test('one parseable object with the default keys and merged fields', () => {
    const line = new JsonFormatter().format(
      makeRecord({ msg: 'paid %d', args: [5], extra: { order: 'o-1', amount: 5, level: 'shadowed' } }),
    );
    assert.ok(!line.includes('\n'));
    assert.deepEqual(JSON.parse(line), {
      time: '2020-10-15T18:47:04.825Z',
      level: 'INFO',
      logger: 'app.db',
      message: 'paid 5',
      pid: 4242,
      processName: 'MainProcess',
      order: 'o-1',
      amount: 5,
      _level: 'shadowed',
    });
  });

  test('the error’s stack comes last', () => {
    const parsed = JSON.parse(new JsonFormatter().format(makeRecord({ exc: new Error('boom') }))) as Record<
      string,
      string
    >;
    assert.match(parsed['error']!, /^Error: boom\n {4}at /);
    assert.equal(Object.keys(parsed).at(-1), 'error');
  });

  test('keys are renamed or added, every other key kept, null drops one; fields nested; static keys; epoch time', () => {
    const f = new JsonFormatter({
      keys: { time: 'ts', levelno: 'lvl', message: 'msg', lineno: 'line', processName: null },
      fields: 'ctx',
      time: 'millis',
      static: { service: 'orders' },
    });
    assert.equal(f.usesCaller, true);
    const parsed = JSON.parse(f.format(makeRecord({ extra: { a: 1 }, exc: new Error('kept') }))) as Record<
      string,
      unknown
    >;
    assert.match(parsed['error'] as string, /^Error: kept/);
    delete parsed['error'];
    assert.deepEqual(parsed, {
      service: 'orders',
      ts: 1602787624825,
      level: 'INFO',
      logger: 'app.db',
      msg: 'hello world',
      pid: 4242,
      lvl: 20,
      line: 42,
      ctx: { a: 1 },
    });
  });

  test('a Python format string selects the keys', () => {
    const parsed = JSON.parse(
      new JsonFormatter('%(asctime)s %(levelname)s %(message)s').format(makeRecord()),
    ) as Record<string, unknown>;
    assert.deepEqual(parsed, { asctime: '2020-10-15T18:47:04.825Z', levelname: 'INFO', message: 'hello world' });
  });

  test('a field the format names but the record lacks is left out; present, it is written', () => {
    const f = new JsonFormatter('%(message)s %(request_id)s %(user)s');
    assert.deepEqual(JSON.parse(f.format(makeRecord())), { message: 'hello world' });
    assert.deepEqual(JSON.parse(f.format(makeRecord({ extra: { request_id: 'r-1', user: null } }))), {
      message: 'hello world',
      request_id: 'r-1',
      user: null,
    });
  });

  test('values JSON cannot hold do not break the line', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic['self'] = cyclic;
    const parsed = JSON.parse(
      new JsonFormatter().format(makeRecord({ msg: 'say "hi"\n', extra: { cyclic, big: 10n } })),
    ) as Record<string, unknown>;
    assert.equal(parsed['message'], 'say "hi"\n');
    assert.match(
      new JsonFormatter().format(makeRecord({ extra: { big: 10n } })),
      /"big":10[,}]/,
      'BigInt as pino writes it: a JSON number',
    );
    assert.equal(parsed['big'], 10);
    assert.deepEqual(parsed['cyclic'], { name: 'c', self: '[Circular]' });
  });
});

describe('strftime', () => {
  const t = Date.UTC(2024, 0, 2, 5, 4, 5, 678);
  test('directives in UTC', () => {
    assert.equal(
      strftime('%Y-%m-%d %H:%M:%S %y %j %a %A %b %B %I %p %%', t, true),
      '2024-01-02 05:04:05 24 002 Tue Tuesday Jan January 05 AM %',
    );
    assert.equal(strftime('%z %Z', t, true), '+0000 GMT');
    assert.equal(strftime('%e|%-d|%_m|%f|%Q|100%', t, true), ' 2|2| 1|%f|%Q|100%');
  });
});

describe('default formatter', () => {
  test('a handler without a formatter renders %(message)s and the error’s stack', () => {
    class Collect extends Handler {
      emit(_record: LogRecord): void {}
    }
    const handler = new Collect();
    handler.close();
    assert.equal(handler.format(makeRecord({ msg: 'a %s', args: ['b'] })), 'a b');
    assert.match(handler.format(makeRecord({ exc: new Error('x') })), /^hello world\nError: x\n/);
  });
});
