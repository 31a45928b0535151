/**
 * The dict config is typed: editors complete it and typos fail `tsc` (the `@ts-expect-error` lines
 * below break the build if they stop being errors); at run time, unknown top-level keys are
 * rejected with a located error, while sections that `cfg://` values refer to stay allowed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, type DictConfig, dictConfig, parseConfigText, parseDictConfig } from '../../src/index.js';
import { cfgReferencedKeys, unknownTopLevelKey } from '../../src/config/dict-top-level.js';

const valid: DictConfig = {
  version: 1,
  disable_existing_loggers: false,
  formatters: {
    text: { format: '%(levelname)s %(message)s', style: '%' },
    json: { class: 'logging.JsonFormatter', preset: 'pino' },
  },
  filters: { db: { name: 'app.db' } },
  handlers: {
    console: { class: 'logging.StreamHandler', stream: 'ext://sys.stdout', formatter: 'text', level: 'debug' },
    file: {
      class: 'logging.handlers.RotatingFileHandler',
      filename: '/tmp/x.log',
      maxBytes: 1024,
      backupCount: 2,
      delay: true,
    },
    mem: { class: 'logging.handlers.MemoryHandler', capacity: 10, target: 'console', flushLevel: 'ERROR' },
  },
  loggers: { 'app.db': { level: 'INFO', handlers: ['console'], propagate: false, filters: ['db'] } },
  root: { level: 20 },
  redact: { paths: ['password'], censor: '***' },
};

test('typed configs compile; typos in keys, classes and values do not', () => {
  assert.equal(valid.version, 1);
  const typos: DictConfig[] = [
    // @ts-expect-error a misspelt handler option
    { version: 1, handlers: { c: { class: 'logging.StreamHandler', strem: 'ext://sys.stdout' } } },
    // @ts-expect-error a misspelt class
    { version: 1, handlers: { c: { class: 'logging.StreamHandlr' } } },
    // @ts-expect-error an unknown top-level key
    { version: 1, bogus: true },
    // @ts-expect-error version 2 does not exist
    { version: 2 },
    // @ts-expect-error a misspelt logger key
    { version: 1, loggers: { a: { levle: 'INFO' } } },
    // @ts-expect-error an option of another class
    { version: 1, handlers: { f: { class: 'logging.FileHandler', filename: 'a.log', maxBytes: 5 } } },
    // @ts-expect-error a preset that does not exist
    { version: 1, formatters: { j: { class: 'logging.JsonFormatter', preset: 'pinot' } } },
  ];
  assert.equal(typos.length, 7);
  // A class of your own goes through '()', whose keys are free.
  const custom: DictConfig = { version: 1, handlers: { x: { '()': 'myapp.Handler', anything: 1, level: 'INFO' } } };
  assert.ok(custom);
});

test('an unknown top-level key is rejected with its location; nothing is applied', () => {
  assert.throws(
    () => dictConfig({ version: 1, bogus: true } as unknown as DictConfig),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.path === 'bogus' &&
      /unknown top-level key 'bogus'/.test(e.message) &&
      /version, incremental/.test(e.message),
  );
  assert.throws(
    () => parseConfigText('version: 1\nhandler:\n  c:\n    class: logging.NullHandler\n', 'yaml', { file: 'log.yaml' }),
    (e: unknown) => e instanceof ConfigError && e.file === 'log.yaml' && e.path === 'handler' && e.line === 2,
  );
});

test('a top-level section that a cfg:// value refers to is allowed, as in Python', () => {
  const spec = parseDictConfig({
    version: 1,
    paths: { log: '/tmp/cfg-ref.log' },
    handlers: { f: { class: 'logging.FileHandler', filename: 'cfg://paths.log', delay: true } },
  });
  assert.equal(spec.handlers[0]!.id, 'f');
  assert.deepEqual([...cfgReferencedKeys({ a: ['cfg://x.y', { b: 'cfg:// z[0]' }], c: 'ext://sys.stdout' })].sort(), [
    'x',
    'z',
  ]);
  assert.equal(unknownTopLevelKey({ version: 1, root: {}, extra: 1 }), 'extra');
  assert.equal(unknownTopLevelKey({ version: 1, extra: 1, h: 'cfg://extra' }), 'h');
  assert.equal(unknownTopLevelKey({ version: 1, '//source': 'a comment' }), undefined, 'JSON comment keys');
});
