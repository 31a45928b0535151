/** dictConfig from objects, JSON and YAML: schema, conversion, paths and lines in errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, PyRef, parseConfigText, parseDictConfig } from '../../src/config/index.js';

const fails = (config: unknown, path: string, pattern: RegExp) =>
  assert.throws(
    () => parseDictConfig(config, { file: 'c.json' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.path, path, e.message);
      assert.match(e.message, pattern);
      assert.ok(e.message.startsWith(`c.json at ${path}`) || path === '', e.message);
      return true;
    },
  );

test('version is required and must be 1', () => {
  fails({}, '', /doesn't specify a version/);
  fails({ version: '1' }, 'version', /Unsupported version: 1/);
  fails({ version: 2 }, 'version', /Unsupported version: 2/);
  assert.equal(parseDictConfig({ version: 1 }).kind, 'dictConfig');
});

test('handlers: class, level, formatter, filters; other keys are constructor kwargs', () => {
  const spec = parseDictConfig({
    version: 1,
    formatters: { f: { format: '%(message)s' } },
    filters: { x: { name: 'app' } },
    handlers: {
      b: {
        class: 'logging.handlers.RotatingFileHandler',
        filename: 'a.log',
        maxBytes: 1024,
        backupCount: 3,
        level: 'INFO',
        formatter: 'f',
        filters: ['x'],
      },
      a: { class: 'logging.StreamHandler', stream: 'ext://sys.stdout' },
    },
  });
  assert.deepEqual(
    spec.handlers.map((h) => h.id),
    ['a', 'b'],
    'handlers are built sorted by id',
  );
  const b = spec.handlers[1]!;
  assert.equal(b.level, 20);
  assert.equal(b.formatter, 'f');
  assert.deepEqual(b.filters, ['x']);
  assert.equal(b.call.bound.values['maxBytes'], 1024);
  assert.equal(spec.handlers[0]!.call.bound.values['stream'], 'stdout');
  fails(
    { version: 1, handlers: { h: { class: 'logging.FileHandler', filename: 'a', bogus: 1 } } },
    'handlers.h.bogus',
    /unexpected keyword argument 'bogus'/,
  );
  fails({ version: 1, handlers: { h: { filename: 'a' } } }, 'handlers.h', /no 'class'/);
  fails(
    { version: 1, handlers: { h: { class: 'StreamHandler' } } },
    'handlers.h.class',
    /No module named 'StreamHandler'/,
  );
  fails(
    { version: 1, handlers: { h: { class: 'logging.StreamHandler', formatter: 'nope' } } },
    'handlers.h.formatter',
    /Unable to set formatter/,
  );
});

test('loggers and root; "" is root; propagate truthiness; levels as names or numbers', () => {
  const spec = parseDictConfig({
    version: 1,
    handlers: { h: { class: 'logging.NullHandler' } },
    loggers: { 'app.db': { level: 10, handlers: ['h'], propagate: 'false' }, '': { level: 'ERROR' } },
    root: { level: 'WARNING', handlers: ['h'] },
  });
  assert.equal(spec.loggers[0]!.name, 'app.db');
  assert.equal(spec.loggers[0]!.propagate, true, 'Python stores the string, which is truthy');
  assert.equal(spec.loggers[1]!.name, '');
  assert.equal(spec.root!.level, 30);
  fails({ version: 1, loggers: { 'app.db': { level: 'loud' } } }, 'loggers["app.db"].level', /Unknown level: 'loud'/);
  assert.equal(
    parseDictConfig({ version: 1, loggers: { 'app.db': { level: 'debug' } } }).loggers[0]!.level,
    10,
    'level names in any case',
  );
  fails({ version: 1, loggers: { a: { handlers: ['x'] } } }, 'loggers.a.handlers[0]', /Unable to add handler 'x'/);
  fails({ version: 1, root: { handlers: 'h' } }, 'root.handlers', /list of ids/);
});

test('formatters: class, style, validate, () factories with fmt retry', () => {
  const spec = parseDictConfig({
    version: 1,
    formatters: {
      a: { format: '{levelname} {message}', style: '{' },
      b: { '()': 'logging.Formatter', format: '%(message)s' },
      c: { class: 'logging.ColorFormatter', format: "'$RED%(message)s'" },
    },
  });
  assert.equal(spec.formatters[0]!.style, '{');
  assert.equal(spec.formatters[1]!.call.bound.values['fmt'], '%(message)s');
  fails(
    { version: 1, formatters: { a: { format: '%(message)s', style: 'x' } } },
    'formatters.a.format',
    /Unable to configure formatter 'a'/,
  );
  fails({ version: 1, formatters: { a: { format: 'hello' } } }, 'formatters.a.format', /Invalid format/);
});

test('ext:// and cfg:// (with .key and [index]), cycles detected', () => {
  const spec = parseDictConfig({
    version: 1,
    paths: { logs: ['x.log', 'y.log'] },
    handlers: {
      h: { class: 'logging.FileHandler', filename: 'cfg://paths.logs[1]' },
      s: { class: 'logging.StreamHandler', stream: 'ext://sys.stderr' },
    },
    root: { level: 'ext://logging.DEBUG' },
  });
  assert.equal(spec.handlers.find((h) => h.id === 'h')!.call.bound.values['filename'], 'y.log');
  assert.equal(spec.root!.level, 10);
  fails(
    { version: 1, a: 'cfg://b', b: 'cfg://a', root: { level: 'cfg://a' } },
    'root.level',
    /cycle: cfg:\/\/a -> cfg:\/\/b -> cfg:\/\/a/,
  );
  fails({ version: 1, root: { level: 'cfg://missing.x' } }, 'root.level', /no top-level key 'missing'/);
  fails(
    { version: 1, handlers: { h: { class: 'logging.StreamHandler', stream: 'ext://sys.nothing' } } },
    'handlers.h.stream',
    /cannot resolve/,
  );
  assert.ok(new PyRef('sys.stdout'));
});

test('JSON and YAML errors carry the path and the line', () => {
  const json = '{\n  "version": 1,\n  "handlers": {\n    "console": {\n      "class": "logging.Nope"\n    }\n  }\n}\n';
  assert.throws(
    () => parseConfigText(json, 'json', { file: 'cfg.json' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.path === 'handlers.console.class' &&
      e.line === 5 &&
      e.message.startsWith('cfg.json:5 at handlers.console.class:'),
  );
  assert.throws(
    () => parseConfigText('{"version": 1,\n "handlers": {,}}', 'json', { file: 'cfg.json' }),
    (e: unknown) => e instanceof ConfigError && e.line === 2 && /invalid JSON/.test(e.message),
  );
  const yaml = 'version: 1\nloggers:\n  app:\n    level: LOUD\n';
  assert.throws(
    () => parseConfigText(yaml, 'yaml', { file: 'c.yaml' }),
    (e: unknown) => e instanceof ConfigError && e.path === 'loggers.app.level' && e.line === 4,
  );
  assert.throws(
    () => parseConfigText('version: 1\nroot:\n  level: [\n', 'yaml', { file: 'c.yaml' }),
    (e: unknown) => e instanceof ConfigError && e.line !== undefined && /invalid YAML/.test(e.message),
  );
});

test('YAML 1.1 booleans, as PyYAML reads them', () => {
  const spec = parseConfigText(
    'version: 1\ndisable_existing_loggers: no\nloggers:\n  a:\n    propagate: off\n',
    'yaml',
  );
  assert.equal(spec.disableExistingLoggers, false);
  assert.equal(spec.loggers[0]!.propagate, false);
});

test('incremental: only levels and propagate', () => {
  const spec = parseDictConfig({
    version: 1,
    incremental: true,
    handlers: { h: { level: 'DEBUG', class: 'ignored' } },
    loggers: { a: { level: 'INFO', propagate: false, handlers: ['zzz'] } },
  });
  assert.equal(spec.incremental, true);
  assert.deepEqual(
    spec.handlerLevels.map((h) => [h.id, h.level]),
    [['h', 10]],
  );
  assert.deepEqual(spec.loggers[0]!.handlers, []);
});
