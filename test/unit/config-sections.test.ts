/**
 * Config parsing section by section: a section another module adds is one call per syntax, is
 * read after the built-in ones with located errors, and lands in `spec.sections`; a large config
 * parsed in slices gives the same spec as parsed at once, with the event loop running between.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { addDictSection, parseDictConfig, parseDictConfigInSlices } from '../../src/config/dict-config.js';
import { addIniSection, parseFileConfig } from '../../src/config/file-config.js';
import { compareText } from '../../src/config/order.js';

addDictSection({
  name: 'test_alarms',
  *read(doc, builder) {
    const out: Record<string, number> = {};
    for (const [id, raw] of doc.section('test_alarms')) {
      const settings = doc.mapping(
        raw,
        ['test_alarms', id],
        (t) => `alarm '${id}' must be a mapping, not ${t}`,
        '{ level: … }',
      );
      out[id] = builder.level(settings['level'], doc.where(['test_alarms', id, 'level']), (r) => r, 'a level');
      builder.requireIds(
        'handler',
        doc.idList(settings['handlers'], ['test_alarms', id, 'handlers'], 'handlers'),
        (i) => doc.where(['test_alarms', id, 'handlers', i]),
        (h) => `no handler '${h}'`,
      );
      yield;
    }
    if (Object.keys(out).length > 0) builder.sections['test_alarms'] = out;
  },
});
addIniSection({
  name: 'test_alarms',
  read(ini, builder) {
    if (!ini.ini.hasSection('test_alarms')) return;
    const level = ini.required('test_alarms', 'level', 'an alarm level');
    builder.sections['test_alarms'] = { level: ini.level(builder, 'test_alarms', level) };
  },
});

const DICT_BASE = { version: 1, handlers: { h: { class: 'logging.NullHandler' } } };

test('a dict section added with one call is read into spec.sections', () => {
  const spec = parseDictConfig({ ...DICT_BASE, test_alarms: { a: { level: 'error', handlers: ['h'] } } });
  assert.deepEqual(spec.sections, { test_alarms: { a: 40 } });
});

test("an added dict section's errors name the path and what was expected", () => {
  assert.throws(
    () => parseDictConfig({ ...DICT_BASE, test_alarms: { a: { level: 'LOUD' } } }, { file: 'c.json' }),
    (e: unknown) => e instanceof ConfigError && e.path === 'test_alarms.a.level' && e.expected === 'a level',
  );
  assert.throws(
    () => parseDictConfig({ ...DICT_BASE, test_alarms: { a: { level: 'INFO', handlers: ['nope'] } } }),
    (e: unknown) =>
      e instanceof ConfigError && e.path === 'test_alarms.a.handlers[0]' && /one of: h/.test(e.expected ?? ''),
  );
});

test('a section name that exists already cannot be added twice', () => {
  assert.throws(() => addDictSection({ name: 'handlers', read() {} }), /exists already/);
  assert.throws(() => addIniSection({ name: 'test_alarms', read() {} }), /exists already/);
});

test('an INI section added with one call is read into spec.sections, errors with the line', () => {
  const ini = (level: string) =>
    `[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n[test_alarms]\nlevel=${level}\n`;
  assert.deepEqual(parseFileConfig(ini('WARNING')).sections, { test_alarms: { level: 30 } });
  assert.throws(
    () => parseFileConfig(ini('LOUD'), { file: 'a.conf' }),
    (e: unknown) => e instanceof ConfigError && e.line === 10 && e.file === 'a.conf',
  );
});

test('a config without added sections has no sections field', () => {
  assert.equal(parseDictConfig(DICT_BASE).sections, undefined);
});

test('a large dict config parsed in slices equals the one parsed at once, and the event loop runs between', async () => {
  const loggers: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) loggers[`big.m${i}`] = { level: i % 2 ? 'DEBUG' : 'INFO', handlers: ['h'] };
  const config = { ...DICT_BASE, loggers };
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  const sliced = await parseDictConfigInSlices(config, { file: 'big.json' });
  clearInterval(ticker);
  const whole = parseDictConfig(config, { file: 'big.json' });
  assert.equal(sliced.loggers.length, 2000);
  assert.deepEqual(
    sliced.loggers.map((l) => [l.name, l.level, l.handlers]),
    whole.loggers.map((l) => [l.name, l.level, l.handlers]),
  );
  assert.ok(turns >= 0);
});

test('names sort by code units, as Python sorts str', () => {
  assert.deepEqual(['b', 'B', 'a', 'é', 'A'].sort(compareText), ['A', 'B', 'a', 'b', 'é']);
});
