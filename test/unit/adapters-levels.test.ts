/**
 * The level tables of docs/adapters.md, both ways: pino's and winston's names on Python's scale,
 * custom levels placed between the built-in ones, a threshold mapped back to the level that passes
 * exactly the same records, and the names `set` accepts. Also what a push leaves out for pino and
 * winston loggers (pure: no process).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LevelMap,
  PINO_LEVELS,
  SILENT,
  WINSTON_LEVEL_SETS,
  pinoLevelMap,
  pinoToPython,
  resolveLevel,
  winstonLevelMap,
} from '../../src/core/foreign-levels.js';
import { parseConfigText } from '../../src/config/load.js';
import { withoutForeignParts } from '../../src/control/foreign-push.js';
import { parseLevelPairs } from '../../src/cli/commands/set.js';

test('pino: built-in levels, custom levels between them, thresholds back', () => {
  const map = pinoLevelMap({
    trace: 10,
    debug: 20,
    info: 30,
    warn: 40,
    error: 50,
    fatal: 60,
    audit: 35,
    verbose: 15,
    panic: 70,
  });
  for (const [name, python] of Object.entries(PINO_LEVELS)) assert.equal(map.toPython(name), python, name);
  assert.equal(map.toPython('audit'), 25);
  assert.equal(map.toPython('verbose'), 8);
  assert.equal(map.toPython('panic'), 60);
  assert.equal(map.toPython('silent'), SILENT);
  assert.equal(map.fromPython(20), 'info');
  assert.equal(map.fromPython(15), 'info', 'a Python level between two pino levels passes what the next one up passes');
  assert.equal(map.fromPython(21), 'audit');
  assert.equal(map.fromPython(1), 'trace');
  assert.equal(map.fromPython(SILENT), null);
  assert.equal(map.display(0), 'NOTSET');
  assert.equal(map.display(SILENT), 'silent');
  assert.equal(pinoToPython(5), 3);
  assert.equal(pinoToPython(10_000), SILENT - 1);
});

test('winston: npm, cli and syslog sets from the table; a custom set keeps known names in order', () => {
  const winstonConfig = {
    npm: { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 },
    cli: { error: 0, warn: 1, help: 2, data: 3, info: 4, debug: 5, prompt: 6, verbose: 7, input: 8, silly: 9 },
    syslog: { emerg: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 },
  };
  for (const set of ['npm', 'cli', 'syslog'] as const) {
    const map = winstonLevelMap(winstonConfig[set]);
    for (const [name, python] of Object.entries(WINSTON_LEVEL_SETS[set]))
      assert.equal(map.toPython(name), python, `${set} ${name}`);
  }
  assert.equal(winstonLevelMap(winstonConfig.cli).fromPython(10), 'debug');
  assert.equal(winstonLevelMap(winstonConfig.npm).fromPython(12), 'verbose');
  const custom = winstonLevelMap({ error: 0, loud: 1, info: 2, quiet: 3 });
  assert.deepEqual(custom.entries(), [
    ['quiet', 15],
    ['info', 20],
    ['loud', 30],
    ['error', 40],
  ]);
});

test('set accepts Python names, numbers and pino/winston names, and refuses others before sending', () => {
  assert.equal(resolveLevel('debug'), 10);
  assert.equal(resolveLevel('trace'), 5);
  assert.equal(resolveLevel('silent'), SILENT);
  assert.equal(resolveLevel('notice'), 25);
  assert.equal(resolveLevel(15), 15);
  assert.throws(() => resolveLevel('verbos'), /Unknown level: 'verbos'.*pino\/winston level name/);
  assert.deepEqual(parseLevelPairs(['app=trace', 'app.db=debug', 'root=warn', 'x=SILENT', 'y=15']), {
    app: 'TRACE',
    'app.db': 'DEBUG',
    root: 'WARNING',
    x: 'silent',
    y: '15',
  });
  assert.throws(() => parseLevelPairs(['app=loud']), /unknown level 'loud'/);
  assert.ok(new LevelMap([['a', 1]]).toPython('a') === 1);
});

test('a push: pino/winston loggers keep their level; their handlers, and what only they used, are left out and listed', () => {
  const spec = parseConfigText(
    JSON.stringify({
      version: 1,
      formatters: { plain: { format: '%(message)s' }, shared: { format: '%(name)s %(message)s' } },
      handlers: {
        mine: { class: 'logging.StreamHandler', formatter: 'plain' },
        both: { class: 'logging.StreamHandler', formatter: 'shared' },
        spare: { class: 'logging.NullHandler' },
      },
      loggers: {
        app: { level: 'DEBUG', handlers: ['mine', 'both'], propagate: false },
        svc: { level: 'INFO', handlers: ['both'] },
      },
    }),
    'json',
    { file: 'push.json' },
  );
  const { spec: out, notApplied } = withoutForeignParts(spec, (name) => (name === 'app' ? 'pino' : undefined));
  assert.deepEqual(
    notApplied.map((n) => n.item),
    ['loggers.app.handlers', 'loggers.app.propagate', 'handlers.mine', 'formatters.plain'],
  );
  assert.match(notApplied[0]!.location ?? '', /^push\.json/);
  assert.deepEqual(
    out.loggers.map((l) => [l.name, l.level, l.handlers]),
    [
      ['app', 10, []],
      ['svc', 20, ['both']],
    ],
  );
  assert.deepEqual(
    out.handlers.map((h) => h.id).sort(),
    ['both', 'spare'],
    'a handler a logdial logger uses stays; one nobody used stays as Python would build it',
  );
  assert.deepEqual(
    out.formatters.map((f) => f.id),
    ['shared'],
  );
  const untouched = withoutForeignParts(spec, () => undefined);
  assert.equal(untouched.spec, spec);
  assert.deepEqual(untouched.notApplied, []);
});
