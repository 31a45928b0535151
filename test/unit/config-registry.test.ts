/** Class names resolve exactly as CPython resolves them, and registerClass adds user classes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConfigError,
  Handler,
  LogRecord,
  parseConfigText,
  registerClass,
  resolveClass,
  unregisterClass,
} from '../../src/index.js';

test('fileConfig handler classes: eval in vars(logging), then import', () => {
  const ok: Array<[string, string]> = [
    ['StreamHandler', 'logging.StreamHandler'],
    ['FileHandler', 'logging.FileHandler'],
    ['NullHandler', 'logging.NullHandler'],
    ['logging.StreamHandler', 'logging.StreamHandler'],
    ['handlers.RotatingFileHandler', 'logging.handlers.RotatingFileHandler'],
    ['logging.handlers.TimedRotatingFileHandler', 'logging.handlers.TimedRotatingFileHandler'],
    ['handlers.logging.StreamHandler', 'logging.StreamHandler'],
    ['handlers.WatchedFileHandler', 'logging.handlers.WatchedFileHandler'],
    ['handlers.SysLogHandler', 'logging.handlers.SysLogHandler'],
    ['handlers.MemoryHandler', 'logging.handlers.MemoryHandler'],
    ['logging.ColorFormatter', 'logging.ColorFormatter'],
    ['ColorFormatter', 'logging.ColorFormatter'],
  ];
  for (const [name, py] of ok) assert.equal(resolveClass(name, 'eval').pyName, py, name);
  const bad: Array<[string, RegExp]> = [
    ['RotatingFileHandler', /No module named 'RotatingFileHandler'/],
    ['handlers.StreamHandler', /No module named 'handlers'/],
    ['logging.Nope', /No module named 'logging.Nope'/],
    ['os.system', /No module named 'os'/],
    ['handlers', /not callable/],
    ['logging.handlers.SMTPHandler', /not supported/],
    ['Stream Handler', /invalid class name/],
  ];
  for (const [name, pattern] of bad) assert.throws(() => resolveClass(name, 'eval'), pattern, name);
});

test('dictConfig and formatter classes: import only', () => {
  assert.equal(resolveClass('logging.Formatter', 'import').pyName, 'logging.Formatter');
  assert.throws(() => resolveClass('Formatter', 'import'), /No module named 'Formatter'/);
  assert.throws(() => resolveClass('StreamHandler', 'import'), /No module named 'StreamHandler'/);
});

test('registerClass: user handlers by dotted name; logging.X also bare, as the seed does', () => {
  const seen: string[] = [];
  class ListHandler extends Handler {
    readonly prefix: string;
    constructor(prefix = '') {
      super();
      this.prefix = prefix;
    }
    emit(record: LogRecord): void {
      seen.push(this.prefix + this.format(record));
    }
  }
  registerClass('myapp.handlers.ListHandler', ListHandler);
  registerClass('logging.ListHandler', ListHandler);
  try {
    for (const cls of [
      'myapp.handlers.ListHandler',
      'logging.ListHandler',
      'ListHandler',
      'handlers.logging.ListHandler',
    ]) {
      const spec = parseConfigText(
        `[loggers]\nkeys=root\n[handlers]\nkeys=l\n[formatters]\nkeys=\n[logger_root]\nhandlers=l\n[handler_l]\nclass=${cls}\nargs=('> ',)\n`,
        'ini',
      );
      assert.equal(spec.handlers[0]!.call.entry.pyName, cls.includes('myapp') ? cls : 'logging.ListHandler');
    }
    const spec = parseConfigText('{"version": 1, "handlers": {"l": {"class": "myapp.handlers.ListHandler"}}}', 'json');
    const handler = spec.handlers[0]!.call.entry.create(spec.handlers[0]!.call.bound) as ListHandler;
    handler.handle(new LogRecord('a', 20, 'hi', []));
    assert.deepEqual(seen, ['hi']);
    handler.close();
  } finally {
    unregisterClass('myapp.handlers.ListHandler');
    unregisterClass('logging.ListHandler');
  }
  assert.throws(() => resolveClass('myapp.handlers.ListHandler', 'import'), /No module named 'myapp'/);
  assert.throws(
    () => parseConfigText('{"version": 1, "handlers": {"l": {"class": "logging.ListHandler"}}}', 'json'),
    ConfigError,
  );
  assert.equal(
    resolveClass('logging.StreamHandler', 'import').pyName,
    'logging.StreamHandler',
    'built-ins are restored',
  );
});

test("Python's positional and keyword rules for constructors", () => {
  const parse = (args: string, kwargs = '{}') =>
    parseConfigText(
      `[loggers]\nkeys=root\n[handlers]\nkeys=r\n[formatters]\nkeys=\n[logger_root]\nhandlers=r\n[handler_r]\nclass=handlers.RotatingFileHandler\nargs=${args}\nkwargs=${kwargs}\n`,
      'ini',
      { file: 'r.conf' },
    );
  const v = parse("('a.log', 'a', 10*1024*1024, 5)").handlers[0]!.call.bound.values;
  assert.equal(v['maxBytes'], 10485760);
  assert.equal(v['backupCount'], 5);
  assert.equal(
    parse("('a.log',)", "{'backupCount': 2, 'encoding': 'utf-8'}").handlers[0]!.call.bound.values['backupCount'],
    2,
  );
  assert.throws(() => parse("('a.log', 'a')", "{'mode': 'w'}"), /multiple values for argument 'mode'/);
  assert.throws(
    () => parse("('a.log', 'a', 1, 2, None, False, None, 1)"),
    /takes from 2 to 8 positional arguments but 9 were given/,
  );
});
