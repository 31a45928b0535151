/** The INI reader behaves like Python's configparser as fileConfig uses it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseIni } from '../../src/config/index.js';

const err = (
  text: string,
  check: (e: ConfigError) => boolean,
  options: Parameters<typeof parseIni>[1] = { file: 'x.conf' },
) =>
  assert.throws(
    () => parseIni(text, options),
    (e: unknown) => e instanceof ConfigError && check(e),
  );

test('first delimiter wins; values stripped; quotes literal', () => {
  const ini = parseIni('[s]\nformat: %(message)s = x\na = b : c\n2014-01-01 14:30:00 x\nq = "quoted"\n');
  assert.equal(ini.get('s', 'format', true), '%(message)s = x');
  assert.equal(ini.get('s', 'a'), 'b : c');
  assert.equal(ini.get('s', '2014-01-01 14'), '30:00 x');
  assert.equal(ini.get('s', 'q'), '"quoted"');
});

test('full-line comments only; indented comments; // is not a comment', () => {
  const ini = parseIni('# c\n; c\n[s]\n  # indented comment\nlevel=DEBUG ; x\nkeys=a//b\n');
  assert.equal(ini.get('s', 'level'), 'DEBUG ; x');
  assert.equal(ini.get('s', 'keys'), 'a//b');
});

test('continuation lines join with \\n; comments inside are skipped; lines remembered', () => {
  const ini = parseIni('[s]\nargs=(\n    sys.stdout,\n    # note\n    )\nnext=1\n');
  assert.equal(ini.get('s', 'args'), '(\nsys.stdout,\n)');
  assert.equal(ini.entry('s', 'args')!.line, 2);
  assert.equal(ini.entry('s', 'next')!.line, 6);
});

test('option names are lower-cased; section names are case-sensitive', () => {
  const ini = parseIni('[Handler_X]\nClass=StreamHandler\nqualName=a\n');
  assert.equal(ini.get('Handler_X', 'class'), 'StreamHandler');
  assert.equal(ini.get('Handler_X', 'qualname'), 'a');
  assert.equal(ini.hasSection('handler_X'), false);
});

test('strict duplicates: sections and options (after lower-casing), with the line', () => {
  err('[a]\nx=1\n[a]\n', (e) => e.line === 3 && e.pythonType === 'DuplicateSectionError' && e.file === 'x.conf');
  err(
    '[a]\nlevel=1\nLevel=2\n',
    (e) =>
      e.line === 3 &&
      e.pythonType === 'DuplicateOptionError' &&
      /option 'level' in section 'a' already exists/.test(e.message),
  );
});

test('DEFAULT section and defaults param appear in every section', () => {
  const ini = parseIni('[DEFAULT]\nlevel=ERROR\n[a]\n[b]\nlevel=INFO\n', { defaults: { here: '/srv' } });
  assert.equal(ini.get('a', 'level'), 'ERROR');
  assert.equal(ini.get('b', 'level'), 'INFO');
  assert.equal(ini.get('a', 'here'), '/srv');
  assert.equal(ini.hasSection('DEFAULT'), false);
});

test('BasicInterpolation: %(key)s, %%, raw reads, missing keys and bad syntax located', () => {
  const ini = parseIni(
    "[s]\nhere=/srv\nargs=('%(here)s/app.log',)\nfmt=%(message)s 100%%\npct=100%%\nbad=100%.log\nmissing=%(nope)s\n",
  );
  assert.equal(ini.get('s', 'args'), "('/srv/app.log',)");
  assert.equal(ini.get('s', 'fmt', true), '%(message)s 100%%');
  assert.equal(ini.get('s', 'pct'), '100%');
  assert.throws(
    () => ini.get('s', 'bad'),
    (e: unknown) => e instanceof ConfigError && e.line === 6 && e.pythonType === 'InterpolationSyntaxError',
  );
  assert.throws(
    () => ini.get('s', 'missing'),
    (e: unknown) => e instanceof ConfigError && e.line === 7 && e.pythonType === 'InterpolationMissingOptionError',
  );
  const loop = parseIni('[s]\na=%(b)s\nb=%(a)s\n');
  assert.throws(
    () => loop.get('s', 'a'),
    (e: unknown) => e instanceof ConfigError && e.pythonType === 'InterpolationDepthError' && e.line === 2,
  );
});

test('a BOM, text before any section, and lines without a delimiter are located errors', () => {
  err(
    '\ufeff[loggers]\nkeys=root\n',
    (e) => e.line === 1 && /no section headers/.test(e.message) && /byte order mark/.test(e.message),
  );
  err('keys=root\n[loggers]\n', (e) => e.line === 1 && e.pythonType === 'RuntimeError');
  err('[a]\nx=1\njust words\ny=2\nmore words\n', (e) => e.line === 3 && /\[line {2}5\]/.test(e.message));
});

test('empty lines inside a value are kept, trailing ones dropped', () => {
  const ini = parseIni('[s]\nv=a\n  b\n\n  c\n\n\nw=1\n');
  assert.equal(ini.get('s', 'v'), 'a\nb\n\nc');
});

test('CRLF line endings', () => {
  const ini = parseIni('[s]\r\nlevel=INFO\r\nargs=(1,\r\n  2)\r\n');
  assert.equal(ini.get('s', 'level'), 'INFO');
  assert.equal(ini.get('s', 'args'), '(1,\n2)');
});
