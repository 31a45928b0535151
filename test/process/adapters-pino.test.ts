/**
 * A real pino service under the real CLI: `status` shows its loggers (pino's level names, Python's
 * numbers in JSON), `set --for` opens a debug window that closes by itself, `revert` ends one now,
 * a child created during an override gets the overridden level, a push applies levels and reports
 * handlers and formatters as not applied (creating no file), and a process mixes a logdial logger
 * with a pino one.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../fixtures/control-helpers.js';
import { cliRows, debugStopped, loggersOf, mark, since, startAdapterService, waitSince } from '../helpers/adapters.js';

test('pino: status, set --for, revert, a child made during an override, push', { timeout: 180_000 }, async (t) => {
  const { root, env, app, target } = await startAdapterService(t, 'pino', 'pinoapp');

  await t.test('status shows the pino loggers with pino level names and Python numbers', async () => {
    const loggers = loggersOf(await cliRows(['status', ...target], env));
    assert.deepEqual(
      { ...loggers.get('app') },
      {
        name: 'app',
        level: 'info',
        effectiveLevel: 'info',
        propagate: true,
        disabled: false,
        handlers: [],
        kind: 'pino',
        levelNo: 20,
        effectiveLevelNo: 20,
      },
    );
    assert.equal(loggers.get('app.db')?.kind, 'pino');
    assert.equal(loggers.get('app.db')?.effectiveLevel, 'info');
    assert.equal(loggers.get('root')?.kind, undefined);
    const table = await cli(['status', ...target], env);
    assert.match(table.stdout, /^\s+app\.db\s+NOTSET\s+info\s.*pino\s*$/m);
  });

  await t.test('set --for: debug lines of the child appear, then stop by themselves', async () => {
    const at = mark(app);
    const rows = await cliRows(['set', 'app.db=debug', '--for', '2s', ...target], env);
    assert.equal(rows[0]?.reply?.result, 'applied for 2s');
    assert.equal(rows[0]?.reply?.levels['app.db'], 'debug');
    assert.equal(rows[0]?.reply?.levels['app'], 'info');
    await waitSince(app, at, /"module":"db","msg":"debug db tick/, 'debug db lines');
    assert.doesNotMatch(since(app, at), /debug app tick/, 'the parent stays at info');
    await waitForNoOverride(env, target);
    await debugStopped(app, 'db');
    const loggers = loggersOf(await cliRows(['status', ...target], env));
    assert.equal(loggers.get('app.db')?.level, 'NOTSET');
  });

  await t.test('trace and silent by pino name; revert restores the levels pino had', async () => {
    const at = mark(app);
    const rows = await cliRows(['set', 'app=trace', 'app.db=silent', '--for', '10m', ...target], env);
    assert.equal(rows[0]?.reply?.levels['app'], 'trace');
    assert.equal(rows[0]?.reply?.levels['app.db'], 'silent');
    await waitSince(app, at, /"level":20,[^\n]*"msg":"debug app tick/, 'debug app lines');
    const back = await cliRows(['revert', ...target], env);
    assert.equal(back[0]?.reply?.result, 'reverted');
    assert.equal(back[0]?.reply?.levels['app'], 'info');
    await debugStopped(app, 'app');
    await waitSince(app, mark(app), /info db tick/, 'the child logs info again');
  });

  await t.test('a child created during an override gets the overridden level', async () => {
    await cliRows(['set', 'app=debug', '--for', '10m', ...target], env);
    const at = mark(app);
    app.proc.kill('SIGUSR2');
    await waitSince(app, at, /"module":"late","msg":"debug late tick/, 'debug lines of the late child');
    await cliRows(['revert', ...target], env);
    await debugStopped(app, 'late');
  });

  await t.test('push: levels apply; handlers and formatters are reported as not applied', async () => {
    const logFile = join(root, 'never.log');
    const file = join(root, 'pino-push.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        formatters: { plain: { format: '%(message)s' } },
        handlers: { file: { class: 'logging.FileHandler', filename: logFile, formatter: 'plain' } },
        loggers: { app: { level: 'DEBUG', handlers: ['file'] } },
      }),
    );
    const at = mark(app);
    const rows = await cliRows(['push', file, ...target], env);
    const reply = rows[0]!.reply!;
    assert.equal(reply.result, 'applied, 3 not applied');
    assert.deepEqual(
      reply.notApplied?.map((n) => n.item),
      ['loggers.app.handlers', 'handlers.file', 'formatters.plain'],
    );
    assert.match(reply.notApplied[0]!.reason, /pino logger takes only a level/);
    assert.match(reply.notApplied[0]!.location ?? '', /pino-push\.json/);
    assert.equal(reply.levels['app'], 'debug');
    await waitSince(app, at, /debug app tick/, 'debug app lines after the push');
    assert.ok(!existsSync(logFile), 'the handler was not built');
    const table = await cli(['push', file, ...target], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /applied, 3 not applied/);
    assert.match(table.stdout, /not applied: loggers\.app\.handlers/);

    const levelsOnly = join(root, 'pino-levels.json');
    writeFileSync(levelsOnly, JSON.stringify({ version: 1, loggers: { app: { level: 'INFO' } } }));
    const plain = await cliRows(['push', levelsOnly, ...target], env);
    assert.equal(plain[0]?.reply?.result, 'applied');
    assert.equal(plain[0]?.reply?.notApplied, undefined);
    await debugStopped(app, 'app');
  });
});

test('one process with a logdial logger and a pino logger', { timeout: 120_000 }, async (t) => {
  const { env, app } = await startAdapterService(t, 'mixed', 'mixed');
  const at = mark(app);
  const rows = await cliRows(['set', 'svc=DEBUG', 'app=debug', '--for', '10m', '--app', 'mixed'], env);
  assert.deepEqual(
    { svc: rows[0]?.reply?.levels['svc'], app: rows[0]?.reply?.levels['app'] },
    { svc: 'DEBUG', app: 'debug' },
  );
  await waitSince(app, at, /LD DEBUG svc: debug svc tick/, 'debug lines of the logdial logger');
  await waitSince(app, at, /"msg":"debug app tick/, 'debug lines of the pino logger');
  const loggers = loggersOf(await cliRows(['status', '--app', 'mixed'], env));
  assert.equal(loggers.get('svc')?.kind, undefined);
  assert.equal(loggers.get('svc')?.level, 'DEBUG');
  assert.equal(loggers.get('app')?.kind, 'pino');
  await cliRows(['revert', '--app', 'mixed'], env);
  await debugStopped(app, 'app');
  await debugStopped(app, 'svc');
});

async function waitForNoOverride(env: NodeJS.ProcessEnv, target: string[]): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const rows = await cliRows(['status', ...target], env);
    if (rows[0]?.reply?.override === null) return;
    if (Date.now() > end) throw new Error('the override did not end by itself');
    await new Promise((r) => setTimeout(r, 200));
  }
}
