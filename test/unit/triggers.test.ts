/**
 * Triggers without processes: the ring's bound and order, backfill through a logger's handlers,
 * the hot path untouched without triggers, the window's pure decision, and the dict/INI parsing
 * with located errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackfillRing } from '../../src/core/backfill-ring.js';
import { DEBUG, ERROR, INFO } from '../../src/core/levels.js';
import { getLogger, Logger, type RecordHandler } from '../../src/core/logger.js';
import { LogRecord } from '../../src/core/record.js';
import { tapCount } from '../../src/core/taps.js';
import { getTriggers, heldRecords, setTriggers } from '../../src/core/triggers.js';
import { dictConfig, parseConfigText } from '../../src/config/index.js';
import { ConfigError } from '../../src/config/errors.js';
import { Formatter } from '../../src/format/formatter.js';
import { JsonFormatter } from '../../src/format/json.js';
import { decideWindow } from '../../src/control/trigger-window.js';

function collector(): RecordHandler & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { level: 0, records, handle: (r: LogRecord) => records.push(r) };
}

test('a backfill ring keeps the last N records, oldest first, and empties on drain', () => {
  const ring = new BackfillRing(3);
  const made = [1, 2, 3, 4, 5].map((i) => new LogRecord('x', DEBUG, `m${i}`, []));
  for (const r of made) ring.push(r);
  assert.equal(ring.size, 3);
  assert.deepEqual(
    ring.drain().map((r) => r.msg),
    ['m3', 'm4', 'm5'],
  );
  assert.equal(ring.size, 0);
  ring.push(made[0]!);
  assert.deepEqual(
    ring.drain().map((r) => r.msg),
    ['m1'],
  );
  assert.throws(() => new BackfillRing(0), RangeError);
});

test('an ERROR emits the DEBUG records before it through the same handlers, marked, in order', (t) => {
  const logger = getLogger('unit.trig.db');
  const handler = collector();
  logger.addHandler(handler);
  logger.setLevel(INFO);
  t.after(() => {
    setTriggers([]);
    logger.removeHandler(handler);
  });
  setTriggers([
    { name: 't', loggers: ['unit.trig'], level: ERROR, backfill: 2, backfillLevel: DEBUG, scope: 'process' },
  ]);
  logger.debug('a');
  logger.debug('b %s', 'x');
  logger.debug('c');
  getLogger('unit.other').debug('not watched');
  assert.equal(handler.records.length, 0);
  assert.deepEqual(heldRecords(), { t: 2 });
  logger.error('boom');
  assert.deepEqual(
    handler.records.map((r) => [r.getMessage(), r.backfill === true]),
    [
      ['b x', true],
      ['c', true],
      ['boom', false],
    ],
  );
  assert.ok(handler.records[0]!.created <= handler.records[2]!.created);
  const line = new Formatter('%(backfill)s|%(message)s').format(handler.records[0]!);
  assert.equal(line, 'backfill|b x');
  assert.equal(new Formatter('%(backfill)s|%(message)s').format(handler.records[2]!), '|boom');
  assert.match(new JsonFormatter().format(handler.records[0]!), /"backfill":true/);
  assert.doesNotMatch(new JsonFormatter().format(handler.records[2]!), /backfill/);
  // A second error finds an empty ring.
  logger.error('again');
  assert.equal(handler.records.length, 4);
});

test('without triggers no tap exists and a DEBUG call below the level makes no record', () => {
  setTriggers([]);
  assert.equal(getTriggers().length, 0);
  assert.equal(tapCount, 0);
  const logger = getLogger('unit.trig.quiet');
  logger.setLevel(INFO);
  assert.equal(logger.threshold, INFO);
  assert.equal(Object.prototype.hasOwnProperty.call(logger, 'debug'), true);
  assert.equal(Reflect.get(logger, 'debug'), Logger.disabledMethods.debug, 'the disabled no-op is installed');
});

test('the window opens, extends up to max_for, and is refused during the cooldown', () => {
  const trigger = { forMs: 1000, maxForMs: 2500 };
  assert.deepEqual(decideWindow(trigger, 0, undefined, 0), { action: 'open', expiresAt: 1000 });
  assert.deepEqual(decideWindow(trigger, 800, { openedAt: 0, expiresAt: 1000 }, 0), {
    action: 'extend',
    expiresAt: 1800,
  });
  assert.deepEqual(decideWindow(trigger, 2000, { openedAt: 0, expiresAt: 2400 }, 0), {
    action: 'extend',
    expiresAt: 2500,
  });
  assert.deepEqual(decideWindow(trigger, 2400, { openedAt: 0, expiresAt: 2500 }, 0), {
    action: 'skip',
    reason: 'capped',
  });
  assert.deepEqual(decideWindow(trigger, 3000, undefined, 3500), { action: 'skip', reason: 'cooldown' });
  assert.deepEqual(decideWindow(trigger, 3500, undefined, 3500), { action: 'open', expiresAt: 4500 });
});

test('dict triggers parse with defaults; a bad value names its path', () => {
  const spec = parseConfigText(
    JSON.stringify({
      version: 1,
      triggers: {
        dbErrors: {
          loggers: ['app.db'],
          level: 'ERROR',
          backfill: 200,
          backfill_level: 'DEBUG',
          set: { 'app.db': 'DEBUG' },
          for: '5m',
        },
      },
    }),
    'json',
    { file: 'cfg.json' },
  );
  assert.deepEqual(spec.triggers?.triggers, [
    {
      name: 'dbErrors',
      loggers: ['app.db'],
      level: ERROR,
      backfill: 200,
      backfillLevel: DEBUG,
      set: { 'app.db': DEBUG },
      forMs: 300_000,
      maxForMs: 1_200_000,
      cooldownMs: 300_000,
      scope: 'process',
    },
  ]);
  assert.throws(
    () =>
      parseConfigText(JSON.stringify({ version: 1, triggers: { t: { loggers: 'a', backfill: -1 } } }), 'json', {
        file: 'cfg.json',
      }),
    (e: unknown) => e instanceof ConfigError && e.path === 'triggers.t.backfill',
  );
  assert.throws(
    () =>
      parseConfigText(JSON.stringify({ version: 1, triggers: { t: { loggers: 'a', set: { a: 'DEBUG' } } } }), 'json'),
    /sets levels but has no 'for'/,
  );
  assert.throws(
    () => parseConfigText(JSON.stringify({ version: 1, triggers: { t: { loggers: 'a' } } }), 'json'),
    /does nothing/,
  );
  const big = { loggers: ['a', 'b'], backfill: 40_000 };
  assert.throws(
    () => parseConfigText(JSON.stringify({ version: 1, triggers: { x: big, y: big } }), 'json'),
    (e: unknown) => e instanceof ConfigError && e.path === 'triggers.y.backfill' && /at most 100000/.test(e.message),
  );
});

test('INI [triggers] sections parse; a bad value names its line', () => {
  const ini = (body: string) => `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
level=INFO
handlers=
[triggers]
keys=db
[trigger_db]
${body}
`;
  const spec = parseConfigText(
    ini('loggers=app.db, app.cache\nbackfill=50\nset=app.db:DEBUG, root:INFO\nfor=30s\nscope=app'),
    'ini',
    {
      file: 'app.conf',
    },
  );
  const [trigger] = spec.triggers!.triggers;
  assert.deepEqual(trigger!.loggers, ['app.db', 'app.cache']);
  assert.deepEqual(trigger!.set, { 'app.db': DEBUG, '': INFO });
  assert.equal(trigger!.forMs, 30_000);
  assert.equal(trigger!.scope, 'app');
  assert.throws(
    () => parseConfigText(ini('loggers=app.db\nbackfill=many'), 'ini', { file: 'app.conf' }),
    (e: unknown) => e instanceof ConfigError && e.line === 14 && /backfill must be/.test(e.message),
  );
  assert.throws(
    () => parseConfigText(ini('loggers=app.db\nbogus=1\nbackfill=1'), 'ini'),
    /unknown trigger setting 'bogus'/,
  );
});

test('an incremental dict adds, replaces and removes triggers by name; a full one replaces them all', (t) => {
  t.after(() => setTriggers([]));
  const names = () => getTriggers().map((x) => `${x.name}:${x.backfill}`);
  dictConfig({
    version: 1,
    triggers: { a: { loggers: 'unit.inc', backfill: 1 }, b: { loggers: 'unit.inc', backfill: 2 } },
  });
  assert.deepEqual(names(), ['a:1', 'b:2']);
  dictConfig({
    version: 1,
    incremental: true,
    triggers: { b: { loggers: 'unit.inc', backfill: 3 }, c: { loggers: 'x', backfill: 4 } },
  });
  assert.deepEqual(names(), ['a:1', 'b:3', 'c:4']);
  dictConfig({ version: 1, incremental: true, triggers: { a: null } });
  assert.deepEqual(names(), ['b:3', 'c:4']);
  dictConfig({ version: 1, incremental: true });
  assert.deepEqual(names(), ['b:3', 'c:4'], 'an incremental dict without the key leaves them');
  assert.throws(
    () => dictConfig({ version: 1, incremental: true, triggers: { d: { loggers: 'x', backfill: 99_999 } } }),
    /with the process's other triggers/,
  );
  assert.deepEqual(names(), ['b:3', 'c:4'], 'a refused change changes nothing');
  dictConfig({ version: 1 });
  assert.deepEqual(names(), [], 'a full configuration without triggers has none');
});
