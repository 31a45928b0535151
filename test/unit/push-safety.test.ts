/**
 * A push cannot hurt the process it tunes: a large push is refused by the documented limits with
 * a located reply (and read off the main thread, so the process keeps running while it is read);
 * a push cannot truncate an existing file; and the destinations of the process's own base config
 * stay allowed whatever was pushed since.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PUSH_LIMITS } from '../../src/config/push-limits.js';
import { executeCommand, fileConfig, getLogger, shutdown } from '../../src/index.js';
import type { ConfigFormat, ControlReply } from '../../src/control/protocol.js';
import { tempDir } from '../helpers/tmp.js';

const requester = { via: 'unix' as const };

function push(config: string, format: ConfigFormat): Promise<ControlReply> {
  return executeCommand({ op: 'apply', config, format, source: 'test push' }, requester);
}

function fileIni(path: string, mode = 'a', format = 'BASE %(message)s'): string {
  return `[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[formatter_f]\nformat=${format}\n[handler_h]\nclass=FileHandler\nformatter=f\nargs=(${JSON.stringify(path)}, ${JSON.stringify(mode)})\n[logger_root]\nlevel=INFO\nhandlers=h\n`;
}

const consoleJson = JSON.stringify({
  version: 1,
  handlers: { c: { class: 'logging.StreamHandler', stream: 'ext://sys.stderr' } },
  root: { level: 'WARNING', handlers: ['c'] },
});

test(
  'a push over the limits is rejected with a located reply, and the process runs while it is read',
  { timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t);
    const log = join(dir, 'app.log');
    fileConfig(fileIni(log));
    t.after(() => shutdown());
    const loggers: Record<string, unknown> = {};
    for (let i = 0; i < 22_000; i++) loggers[`app.m${i}`] = { level: 'DEBUG' };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const big = await push(JSON.stringify({ version: 1, loggers }), 'json');
    clearInterval(ticker);
    assert.equal(big.ok, false);
    assert.match(big.error!.message, /at most/);
    // While the worker read the push, the event loop kept turning.
    assert.ok(ticks > 0);

    const many: Record<string, unknown> = {};
    for (let i = 0; i <= PUSH_LIMITS.loggers; i++) many[`m${i}`] = {};
    const tooMany = await push(JSON.stringify({ version: 1, loggers: many }), 'json');
    assert.match(
      tooMany.error!.message,
      new RegExp(`at loggers: a pushed configuration may define at most ${PUSH_LIMITS.loggers} loggers`),
    );
    const deep = await push(`version: 1\nx: ${'['.repeat(PUSH_LIMITS.nesting + 1)}`, 'yaml');
    assert.match(deep.error!.message, /test push:2: invalid YAML: nested more than/);
    const iniKeys = await push(
      `[loggers]\nkeys=root,${Array.from({ length: PUSH_LIMITS.loggers }, (_, i) => `l${i}`).join(',')}\n`,
      'ini',
    );
    assert.match(iniKeys.error!.message, /test push:2: \[loggers\] keys lists 501 loggers/);
    const quadratic = await push(`[loggers]\nk${' '.repeat(300_000)}x\n`, 'ini');
    assert.match(quadratic.error!.message, /characters per push/);
    const slowIni = await push(`[loggers]\nk${' '.repeat(60_000)}x\n`, 'ini');
    assert.match(slowIni.error!.message, /test push:2: Source contains parsing errors/);

    // Nothing changed: the base config still writes.
    getLogger('app').info('still here');
    shutdown();
    assert.match(readFileSync(log, 'utf8'), /BASE still here/);
  },
);

test("a push cannot truncate an existing file; the base config keeps its own mode 'w'", async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'app.log');
  writeFileSync(log, 'earlier line\n');
  // The process's own config may truncate (Python's mode 'w').
  fileConfig(fileIni(log, 'w'));
  t.after(() => shutdown());
  getLogger('truncation').info('first');
  const reply = await push(fileIni(log, 'w', 'PUSHED %(message)s'), 'ini');
  assert.equal(reply.ok, false);
  assert.match(
    reply.error!.message,
    /test push:\d+: handler 'h' would truncate .*app\.log \(mode 'w'\): a pushed configuration appends to existing files/,
  );
  // 'w' on a file that does not exist yet is harmless; append to the existing one works.
  const fresh = join(dir, 'fresh.log');
  assert.equal((await push(fileIni(fresh, 'w', 'PUSHED %(message)s'), 'ini')).ok, true);
  assert.equal((await push(fileIni(log, 'a', 'PUSHED %(message)s'), 'ini')).ok, true);
  getLogger('truncation').info('second');
  shutdown();
  const text = readFileSync(log, 'utf8');
  assert.doesNotMatch(text, /earlier line/, "the base config's own 'w' truncated, as in Python");
  assert.match(text, /^BASE first\n/);
  assert.match(text, /\nPUSHED second\n$/);
  assert.ok(existsSync(fresh));
});

test("the base config's destinations stay allowed after a permanent push that writes no files", async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'app.log');
  const base = fileIni(log);
  fileConfig(base);
  t.after(() => shutdown());
  assert.equal((await push(consoleJson, 'json')).ok, true);
  const back = await push(base.replace('BASE', 'AGAIN'), 'ini');
  assert.equal(back.ok, true, back.error?.message);
  getLogger('home').info('home');
  shutdown();
  assert.match(readFileSync(log, 'utf8'), /AGAIN home/);
});

test('a push large enough to be read by the worker thread is applied as written, JSON and YAML alike', async (t) => {
  const dir = tempDir(t);
  fileConfig(fileIni(join(dir, 'app.log')));
  t.after(() => shutdown());
  const loggers: Record<string, { level: string; propagate?: boolean }> = {};
  for (let i = 0; i < PUSH_LIMITS.loggers; i++) loggers[`big.json.m${i}`] = { level: i % 2 ? 'DEBUG' : 'ERROR' };
  loggers['big.json.m7'] = { level: 'CRITICAL', propagate: false };
  const json = JSON.stringify({ version: 1, disable_existing_loggers: false, loggers }, null, 1);
  assert.ok(json.length > 16 * 1024, 'over the inline size: read by the worker');
  const applied = await push(json, 'json');
  assert.equal(applied.ok, true, JSON.stringify(applied.error));
  assert.equal(applied.levels?.['big.json.m1'], 'DEBUG');
  assert.equal(applied.levels?.['big.json.m2'], 'ERROR');
  assert.equal(getLogger('big.json.m7').level, 50);
  assert.equal(getLogger('big.json.m7').propagate, false);

  const yaml = `version: 1\nloggers:\n${Array.from({ length: 300 }, (_, i) => `  big.yaml.m${i}: {level: ${i % 2 ? 'DEBUG' : 'ERROR'}}\n`).join('')}`;
  assert.ok(yaml.length > 4 * 1024, 'over the inline size for YAML');
  const fromYaml = await push(yaml, 'yaml');
  assert.equal(fromYaml.ok, true, JSON.stringify(fromYaml.error));
  assert.equal(fromYaml.levels?.['big.yaml.m299'], 'DEBUG');
  assert.equal(getLogger('big.yaml.m0').level, 40);
});
