/** The safe Python literal parser for fileConfig args/kwargs: never evaluates, always locates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, PyDict, PyRef, PyTuple, parsePyLiteral } from '../../src/config/index.js';
import { pyToJs } from '../../src/config/py-literal.js';

const js = (text: string) => pyToJs(parsePyLiteral(text));

test('tuples: (), (x,), (x) is not a tuple, bare commas make one', () => {
  assert.deepEqual(parsePyLiteral('()'), new PyTuple([]));
  assert.ok(parsePyLiteral('(sys.stdout,)') instanceof PyTuple);
  assert.ok(parsePyLiteral('(sys.stdout)') instanceof PyRef);
  assert.deepEqual(parsePyLiteral("'a.log', 'a'"), new PyTuple(['a.log', 'a']));
  assert.deepEqual(js('(sys.stdout, )'), [new PyRef('sys.stdout')]);
});

test('lists, dicts, nested', () => {
  assert.deepEqual(js("[1, [2, 3], {'a': (4,)}]"), [1, [2, 3], { a: [4] }]);
  const d = parsePyLiteral("{'encoding': 'utf-8', 'delay': True, 1: None}");
  assert.ok(d instanceof PyDict);
  assert.deepEqual(
    [...d.entries],
    [
      ['encoding', 'utf-8'],
      ['delay', true],
      [1, null],
    ],
  );
});

test('strings: quotes, escapes, raw, triple, adjacent concatenation', () => {
  assert.equal(js(String.raw`'a\'b\n\t\x41\u00e9\101'`), "a'b\n\tAéA");
  assert.equal(js(String.raw`r'C:\logs\new'`), String.raw`C:\logs\new`);
  assert.equal(js(`"""multi"""`), 'multi');
  assert.equal(js(`'a' "b"`), 'ab');
  assert.equal(js(String.raw`'\d'`), String.raw`\d`);
});

test('numbers and arithmetic', () => {
  assert.equal(js('10*1024*1024'), 10485760);
  assert.equal(js('1_000 + 2 - -3'), 1005);
  assert.equal(js('0x10 + 0o10 + 0b10'), 26);
  assert.equal(js('1.5e3'), 1500);
  assert.equal(js("'ab' * 2 + 'c'"), 'ababc');
  assert.deepEqual(js('(1,) * 2'), [1, 1]);
});

test('True/False/None and whitelisted names', () => {
  assert.deepEqual(js('(True, False, None, DEBUG, ERROR, WARN)'), [true, false, null, 10, 40, 30]);
  assert.deepEqual(js("(('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_LOCAL0)"), [
    ['localhost', 514],
    16,
  ]);
  assert.deepEqual(js('(sys.stderr, handlers.logging.INFO)'), [new PyRef('sys.stderr'), 20]);
});

test('trailing # comments and line breaks inside brackets', () => {
  assert.deepEqual(js("('serhu.log', 'a', 10485760, 5)  # 10MB, 5 backups"), ['serhu.log', 'a', 10485760, 5]);
  assert.deepEqual(js("(\n'a.log', # the file\n'w')"), ['a.log', 'w']);
});

test('anything else is a located error, never evaluated', () => {
  const cases: Array<[string, RegExp]> = [
    ["os.path.join('a', 'b')", /not evaluated|not allowed/],
    ['__import__("os").system("id")', /not evaluated/],
    ['open("x")', /not evaluated/],
    ['sys.argv', /not allowed/],
    ['lambda: 1', /not allowed/],
    ["('a.log'", /never closed/],
    ["'unterminated", /unterminated/],
    ['2 ** 64', /\*\*/],
    ['99999999999999999999', /too large/],
    ["'x' * 10000000", /too long/],
    ['(1 2)', /expected/],
    ['{1: }', /unexpected/],
    ['', /empty/],
    ['(1,)\n(2,)', /line break|after the expression/],
    ['[1] + 1', /unsupported/],
    ['f"{x}"', /not allowed|unexpected/],
    // Names of Object.prototype must not be found through the whitelist tables.
    ['(constructor,)', /not allowed/],
    ['(__proto__,)', /not allowed/],
    ['(handlers.toString,)', /not allowed/],
    ['(handlers.SysLogHandler.hasOwnProperty,)', /not allowed/],
    ['(handlers.logging.valueOf,)', /not allowed/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () => parsePyLiteral(text, { file: 'a.conf', line: 7, what: 'args' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, `${text}: ${String(e)}`);
        assert.equal(e.file, 'a.conf');
        assert.ok(e.line !== undefined && e.line >= 7, `${text}: line ${e.line}`);
        assert.match(e.message, pattern, text);
        return true;
      },
    );
  }
});

test('the line of an error inside a continuation value', () => {
  assert.throws(
    () => parsePyLiteral("(\n'a',\nbad_name)", { file: 'f.conf', line: 10 }),
    (e: unknown) => e instanceof ConfigError && e.line === 12,
  );
});
