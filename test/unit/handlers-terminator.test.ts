/** Handlers end each record with `terminator` (Python's StreamHandler.terminator), set from code or dictConfig. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { ConfigError, FileHandler, NOTSET, StreamHandler, dictConfig, getLogger } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';
import { isolatedLogger } from '../helpers/logger.js';

let counter = 0;

test('a StreamHandler on a Writable ends lines with its terminator', () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const handler = new StreamHandler(stream);
  assert.equal(handler.terminator, '\n', "Python's default");
  handler.terminator = '!\n';
  const log = isolatedLogger('terminator', undefined, NOTSET);
  log.addHandler(handler);
  log.warning('one');
  log.warning('two');
  assert.equal(text, 'one!\ntwo!\n');
});

test('a FileHandler writes its terminator, even an empty one', (t) => {
  const path = join(tempDir(t), 'out.log');
  const handler = new FileHandler(path);
  handler.terminator = '';
  const log = isolatedLogger('terminator', undefined, NOTSET);
  log.addHandler(handler);
  log.warning('a');
  log.warning('b');
  handler.terminator = '\r\n';
  log.warning('c');
  handler.close();
  assert.equal(readFileSync(path, 'utf8'), 'abc\r\n');
});

test("dictConfig's '.' sets terminator, as CPython's ConfigDictTest.config14", (t) => {
  const path = join(tempDir(t), 'cfg.log');
  const name = `terminator-config${++counter}`;
  dictConfig({
    version: 1,
    incremental: false,
    disable_existing_loggers: false,
    handlers: { hand1: { class: 'logging.FileHandler', filename: path, '.': { terminator: '!\n' } } },
    loggers: { [name]: { handlers: ['hand1'], level: 'INFO', propagate: false } },
  });
  getLogger(name).info('hello');
  getLogger(name).info('world');
  dictConfig({ version: 1, disable_existing_loggers: false, loggers: { [name]: { handlers: [] } } });
  assert.equal(readFileSync(path, 'utf8'), 'hello!\nworld!\n');
});

test('a terminator that is not a short string without control characters is refused, with the reason', () => {
  const handler = new StreamHandler(new PassThrough());
  assert.throws(() => (handler.terminator = 5 as unknown as string), /terminator must be a string, not 5/);
  assert.throws(() => (handler.terminator = '\x1b[2J\n'), /without control characters/);
  assert.throws(() => (handler.terminator = 'x'.repeat(17)), /at most 16 characters/);
  handler.terminator = '\0';
  assert.equal(handler.terminator, '\0');
  assert.throws(
    () => dictConfig({ version: 1, handlers: { h: { class: 'logging.StreamHandler', '.': { terminator: 7 } } } }),
    (error: unknown) => error instanceof ConfigError && /handler 'h'.*terminator must be a string/.test(error.message),
  );
});
