/**
 * A real winston service under the real CLI: status shows the logger, its child and its transports
 * (winston's level names); a child's level goes up alone for a while (winston filters in its
 * transports, against the logger's level); a transport's own level is set as `app/<transport>`
 * and a misspelt transport is rejected; a child created during an override gets its level; a push
 * reports handlers as not applied; `winston.loggers` containers are attached by id.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitUntil } from '../helpers/redis.js';
import { cli } from '../fixtures/control-helpers.js';
import { cliRows, debugStopped, loggersOf, mark, since, startAdapterService, waitSince } from '../helpers/adapters.js';

test('winston: status, a child level, transport levels, a late child, push', { timeout: 180_000 }, async (t) => {
  const { root, env, app, target } = await startAdapterService(t, 'winston', 'wapp');

  await t.test('status shows the logger, its child and its transports', async () => {
    const loggers = loggersOf(await cliRows(['status', ...target], env));
    const main = loggers.get('app')!;
    assert.equal(main.kind, 'winston');
    assert.equal(main.level, 'info');
    assert.equal(main.levelNo, 20);
    assert.deepEqual(main.transports, [
      { name: 'console', logger: 'app/console', level: 'NOTSET' },
      { name: 'stream', logger: 'app/stream', level: 'error' },
    ]);
    assert.equal(loggers.get('app/stream')?.kind, 'winston-transport');
    assert.equal(loggers.get('app/console')?.effectiveLevel, 'info', 'a transport without a level follows its logger');
    assert.equal(loggers.get('app.db')?.kind, 'winston');
  });

  await t.test('set --for on a child: its debug lines only, then they stop by themselves', async () => {
    const at = mark(app);
    const rows = await cliRows(['set', 'app.db=debug', '--for', '2s', ...target], env);
    assert.equal(rows[0]?.reply?.levels['app.db'], 'debug');
    await waitSince(app, at, /"level":"debug","message":"debug db tick \d+","module":"db"/, 'debug db lines');
    await waitSince(app, at, /info app tick/, 'the parent keeps logging');
    assert.doesNotMatch(since(app, at), /debug app tick/, 'the parent stays at info');
    await waitUntil(
      async () => (await cliRows(['status', ...target], env))[0]?.reply?.override === null,
      30_000,
      'the override ends by itself',
    );
    await debugStopped(app, 'db');
  });

  await t.test(
    'a transport level: app/stream=info sends info lines to stderr; a misspelt transport is rejected',
    async () => {
      const at = mark(app);
      const rows = await cliRows(['set', 'app/stream=info', '--for', '10m', ...target], env);
      assert.equal(rows[0]?.reply?.levels['app/stream'], 'info');
      await waitUntil(
        () => /info app tick/.test(app.stderr().slice(at.err)),
        30_000,
        'info lines on the stream transport',
      );
      const bad = await cliRows(['set', 'app/strem=info', ...target], env, 1);
      assert.equal(bad[0]?.status, 'rejected');
      assert.match(
        bad[0]?.error ?? '',
        /winston logger 'app' has no transport 'strem' \(its transports: console, stream\)/,
      );
      await cliRows(['revert', ...target], env);
      const after = mark(app);
      await waitSince(app, after, /info app tick[^\n]*\n[^]*info app tick/, 'two ticks after revert');
      assert.doesNotMatch(app.stderr().slice(after.err), /info app tick/, 'the stream transport is back at error');
    },
  );

  await t.test('a child created during an override gets the overridden level', async () => {
    await cliRows(['set', 'app=debug', '--for', '10m', ...target], env);
    const at = mark(app);
    app.proc.kill('SIGUSR2');
    await waitSince(app, at, /"message":"debug late tick \d+","module":"late"/, 'debug lines of the late child');
    await cliRows(['revert', ...target], env);
    await debugStopped(app, 'late');
    await debugStopped(app, 'app');
  });

  await t.test('push: the level applies, the handlers are reported as not applied', async () => {
    const file = join(root, 'winston-push.conf');
    writeFileSync(
      file,
      '[loggers]\nkeys=root,app\n\n[handlers]\nkeys=console\n\n[formatters]\nkeys=\n\n[handler_console]\nclass=StreamHandler\nargs=(sys.stdout,)\n\n[logger_root]\nlevel=WARNING\nhandlers=\n\n[logger_app]\nlevel=DEBUG\nhandlers=console\nqualname=app\n',
    );
    const at = mark(app);
    const rows = await cliRows(['push', file, ...target], env);
    const reply = rows[0]!.reply!;
    assert.deepEqual(
      reply.notApplied?.map((n) => [n.item, n.location]),
      [
        ['loggers.app.handlers', 'winston-push.conf:18'],
        ['handlers.console', 'winston-push.conf:10'],
      ],
    );
    assert.match(reply.notApplied[0]!.reason, /winston logger takes only a level/);
    await waitSince(app, at, /debug app tick/, 'debug app lines after the push');
    assert.doesNotMatch(since(app, at), /^debug app tick/m, 'no logdial StreamHandler line for the winston logger');
  });
});

test('winston.loggers: a container attached by id', { timeout: 120_000 }, async (t) => {
  const { env, app } = await startAdapterService(t, 'container', 'wcont');
  const loggers = loggersOf(await cliRows(['status', '--app', 'wcont'], env));
  assert.equal(loggers.get('app')?.kind, 'winston');
  const table = await cli(['status', '--app', 'wcont'], env);
  assert.match(table.stdout, /^\s+app\/stream\s+error\s+error\s.*winston-transport\s*$/m);
  const at = mark(app);
  await cliRows(['set', 'app=debug', '--for', '2s', '--app', 'wcont'], env);
  await waitSince(app, at, /debug app tick/, 'debug app lines');
  await waitUntil(
    async () => (await cliRows(['status', '--app', 'wcont'], env))[0]?.reply?.override === null,
    30_000,
    'the override ends by itself',
  );
  await debugStopped(app, 'app');
});
