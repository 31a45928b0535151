import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CRITICAL,
  DEBUG,
  ERROR,
  FATAL,
  INFO,
  NOTSET,
  WARN,
  WARNING,
  addLevelName,
  checkLevel,
  getLevelName,
  getLevelNamesMapping,
  LevelError,
} from '../../src/index.js';

test('levels have Python numbers and names', () => {
  assert.deepEqual([NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL], [0, 10, 20, 30, 40, 50]);
  assert.equal(WARN, WARNING);
  assert.equal(FATAL, CRITICAL);
  assert.equal(getLevelName(10), 'DEBUG');
  assert.equal(getLevelName('WARN'), 30);
  assert.equal(getLevelName('FATAL'), 50);
});

test('unknown levels render as Python does', () => {
  assert.equal(getLevelName(15), 'Level 15');
  assert.equal(getLevelName('debug'), 'Level debug');
});

test('addLevelName registers both directions', () => {
  addLevelName(25, 'NOTICE');
  assert.equal(getLevelName(25), 'NOTICE');
  assert.equal(getLevelName('NOTICE'), 25);
  assert.equal(getLevelNamesMapping()['NOTICE'], 25);
  assert.equal(checkLevel('NOTICE'), 25);
});

test('checkLevel accepts integers and registered names in any case only (strict, like setLevel)', () => {
  assert.equal(checkLevel(10), 10);
  assert.equal(checkLevel('ERROR'), 40);
  assert.equal(checkLevel('debug'), 10);
  assert.equal(checkLevel('Warn'), 30);
  assert.equal(checkLevel('trace'), 5);
  assert.equal(checkLevel('notice'), 25, 'custom names too');
  assert.throws(() => checkLevel('verbose'), /Unknown level: 'verbose'/);
  assert.throws(() => checkLevel('10'), /Unknown level: '10'/);
  assert.throws(() => checkLevel(10.5), LevelError);
  assert.throws(() => checkLevel(null), LevelError);
});

test('TRACE (5) is built in', () => {
  assert.equal(getLevelName(5), 'TRACE');
  assert.equal(getLevelNamesMapping()['TRACE'], 5);
});

test('checkLevel in lenient mode also accepts numeric strings (CLI convenience)', () => {
  assert.equal(checkLevel('debug', false), 10);
  assert.equal(checkLevel('35', false), 35);
  assert.throws(() => checkLevel('verbose', false), LevelError);
});

test('level names in any case in code, INI and dict configs', async () => {
  const { getLogger, parseConfigText } = await import('../../src/index.js');
  const logger = getLogger('levels.case');
  logger.setLevel('debug');
  assert.equal(logger.level, 10);
  logger.setLevel('Trace');
  assert.equal(logger.level, 5);
  const ini = parseConfigText(
    '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=warning\nhandlers=\n',
    'ini',
  );
  assert.equal(ini.root!.level, 30);
  const yaml = parseConfigText('version: 1\nroot:\n  level: info\n', 'yaml');
  assert.equal(yaml.root!.level, 20);
});
