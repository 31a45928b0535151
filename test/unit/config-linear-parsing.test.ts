/**
 * Every configuration parser runs in time linear in its input, whatever the input. Each case is
 * a pathological input at (or above) the size that once took seconds to minutes: a line of
 * spaces without a delimiter (INI), thousands of loggers (JSON, YAML), long runs of tokens in a
 * Python literal, deep nesting. Each must finish far within the test's timeout, with either a
 * result or a located error. No timing assertions: the timeout is the bound (speed lives in bench/).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { parsePyLiteral } from '../../src/config/py-literal.js';

const BOUND = { timeout: 60_000 };

function located(run: () => unknown): ConfigError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
    assert.ok(
      error.file !== undefined || error.line !== undefined || error.path !== undefined,
      `located: ${error.message.slice(0, 200)}`,
    );
    return error;
  }
}

function loggersJson(n: number): string {
  const loggers: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) loggers[`app.module${i}`] = { level: 'DEBUG' };
  return JSON.stringify({ version: 1, loggers }, null, 1);
}

test('INI: a line of 50,000 (and 200,000) spaces without a delimiter is reported at its line', BOUND, () => {
  for (const n of [50_000, 200_000]) {
    const error = located(() =>
      parseConfigText(`[loggers]\nkeys=root\nk${' '.repeat(n)}x\n`, 'ini', { file: 'big.conf' }),
    );
    assert.equal(error?.line, 3);
  }
});

test(
  'INI: a 200 KB file of such lines, of tabs, of %% and of continuation lines parses or fails located',
  BOUND,
  () => {
    const cases = [
      '[loggers]\n' + `k${' '.repeat(1000)}x\n`.repeat(200),
      '[loggers]\n' + `k${' \t'.repeat(100_000)}x\n`,
      '[loggers]\nkeys=root\n[x]\nk = ' + '%%'.repeat(100_000) + '\n',
      '[loggers]\nkeys=root\n[x]\nk = ' + '%('.repeat(100_000) + '\n',
      '[loggers]\nkeys=root\n[x]\nk = v\n' + '  more\n'.repeat(30_000),
      '[loggers]\nk' + ' '.repeat(100_000) + '=' + ' '.repeat(100_000) + 'v\n',
    ];
    for (const text of cases) located(() => parseConfigText(text, 'ini', { file: 'big.conf' }));
  },
);

test('INI: interpolation that multiplies through nested references is refused, located', BOUND, () => {
  const refs = ['[DEFAULT]', `a0 = ${'x'.repeat(1000)}`];
  for (let i = 1; i <= 9; i++) refs.push(`a${i} = ${`%(a${i - 1})s`.repeat(10)}`);
  const text = `${refs.join('\n')}\n[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n[handler_h]\nclass=StreamHandler\nargs=%(a9)s\n[logger_root]\nhandlers=h\n`;
  const error = located(() => parseConfigText(text, 'ini', { file: 'bomb.conf' }));
  assert.match(error!.message, /expands to more than/);
});

test('Python literals: long runs of every token kind finish', BOUND, () => {
  const n = 200_000;
  const inputs = [
    '1'.repeat(n),
    'a.'.repeat(n / 2) + 'a',
    '(' + ' '.repeat(n) + 'x',
    "'" + 'a'.repeat(n),
    "'" + '\\x41'.repeat(n / 4) + "'",
    '('.repeat(n),
    '(' + '1,'.repeat(n / 2) + ')',
    '1+'.repeat(n / 2) + '1',
    "'a' ".repeat(n / 4),
    '.'.repeat(n),
    '(\n'.repeat(n / 2),
  ];
  for (const text of inputs) {
    try {
      parsePyLiteral(text, { file: 'x.conf', line: 1, what: 'args' });
    } catch (error) {
      assert.ok(error instanceof ConfigError && error.line !== undefined, String(error));
    }
  }
});

test('JSON: 22,000 loggers (781 KB) parse, and deep nesting fails located', BOUND, () => {
  const spec = parseConfigText(loggersJson(22_000), 'json', { file: 'big.json' });
  assert.equal(spec.loggers.length, 22_000);
  located(() => parseConfigText('['.repeat(200_000) + ']'.repeat(200_000), 'json', { file: 'deep.json' }));
  located(() => parseConfigText('{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000), 'json', { file: 'deep.json' }));
});

test('YAML: thousands of keys parse; long lines, deep nesting and runs of flow commas fail located', BOUND, () => {
  const keys =
    'version: 1\nloggers:\n' +
    Array.from({ length: 16_000 }, (_, i) => `  app.m${i}: {level: DEBUG}`).join('\n') +
    '\n';
  assert.equal(parseConfigText(keys, 'yaml', { file: 'big.yaml' }).loggers.length, 16_000);
  const bad = [
    '[' + ','.repeat(200_000),
    '[\n' + ',\n'.repeat(200_000),
    '['.repeat(10_000),
    Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n'),
    '- '.repeat(100_000) + 'x',
    '!x '.repeat(60_000) + 'a',
    'a: ' + 'x '.repeat(200_000),
  ];
  for (const text of bad) located(() => parseConfigText(text, 'yaml', { file: 'bad.yaml' }));
  const duplicate = located(() =>
    parseConfigText('version: 1\nloggers:\n  a: {}\n  b: {}\n  a: {}\n', 'yaml', { file: 'dup.yaml' }),
  );
  assert.equal(duplicate?.line, 5);
});
