/**
 * Triggers in real processes: an ERROR brings the DEBUG records before it (marked, in order, with
 * their own times) and a window of DEBUG that `status` shows and that closes by itself; a storm
 * opens one window only; a pushed trigger works and `revert` removes it; `scope = app` opens the
 * window on another process of the app through a real redis-server.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { cli, privateRuntime } from '../fixtures/control-helpers.js';
import { compiledFixtures, distRoot } from '../helpers/paths.js';
import { run, startChild, type Child } from '../helpers/proc.js';
import { redisSkipReason, startRedis } from '../helpers/redis.js';

const FORMAT = '%(backfill)s|%(levelname)s|%(name)s|%(message)s|%(created)f';

/** An INI config: root INFO to stdout, and `[triggers]` from `triggers` (a section body per name). */
function iniConfig(triggers: Record<string, string>): string {
  const names = Object.keys(triggers);
  return `[loggers]
keys=root

[handlers]
keys=out

[formatters]
keys=plain

[formatter_plain]
format=${FORMAT}

[handler_out]
class=StreamHandler
formatter=plain
args=(sys.stdout,)

[logger_root]
level=INFO
handlers=out
${
  names.length === 0
    ? ''
    : `
[triggers]
keys=${names.join(',')}
` + names.map((n) => `\n[trigger_${n}]\n${triggers[n]}\n`).join('')
}`;
}

interface App {
  child: Child;
  /** Sends a command and waits for its `DONE`. */
  send(line: string): Promise<void>;
}

async function startApp(
  t: TestContext,
  env: NodeJS.ProcessEnv,
  config: string,
  extra: NodeJS.ProcessEnv = {},
): Promise<App> {
  const child = startChild(t, process.execPath, [join(compiledFixtures, 'trigger-app.js')], {
    env: { ...env, TRG_CONFIG: config, ...extra },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await child.waitFor(/^READY$/m, 30_000);
  let sent = 0;
  return {
    child,
    async send(line: string) {
      sent++;
      const count = sent;
      child.proc.stdin!.write(line + '\n');
      // Commands are answered in order: the count-th DONE is this one's.
      await until(() => (child.stdout().match(/^DONE /gm) ?? []).length >= count, 30_000, `DONE ${line}`);
    },
  };
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Record lines of the app's stdout: [backfill, level, logger, message, created]. */
function records(
  child: Child,
): Array<{ backfill: string; level: string; logger: string; message: string; created: number }> {
  return child
    .stdout()
    .split('\n')
    .map((line) => line.split('|'))
    .filter((parts) => parts.length === 5)
    .map(([backfill, level, logger, message, created]) => ({
      backfill: backfill!,
      level: level!,
      logger: logger!,
      message: message!,
      created: Number(created),
    }));
}

async function statusOf(env: NodeJS.ProcessEnv, app: string): Promise<{ override: string | null; triggers: string[] }> {
  const status = await cli(['status', '--app', app, '--json'], env);
  const rows = JSON.parse(status.stdout) as TargetResult[];
  assert.equal(rows.length, 1, status.stdout + status.stderr);
  const info = rows[0]!.reply?.status;
  return { override: info?.override?.description ?? null, triggers: info?.triggers ?? [] };
}

async function statusOverride(env: NodeJS.ProcessEnv, app: string): Promise<string | null> {
  return (await statusOf(env, app)).override;
}

test(
  'an ERROR brings its DEBUG backfill, then a DEBUG window that status shows and that closes by itself',
  { timeout: 120_000 },
  async (t) => {
    const { root, env } = privateRuntime(t);
    const config = join(root, 'app.conf');
    writeFileSync(config, iniConfig({ db: 'loggers=app.db\nbackfill=5\nset=app.db:DEBUG\nfor=8s' }));
    const app = await startApp(t, env, config, { TRG_APP: 'trg1' });

    assert.deepEqual((await statusOf(env, 'trg1')).triggers, [
      'db: ERROR in app.db; backfill 5 from DEBUG; window app.db=DEBUG for 8s (at most 32s, cooldown 8s)',
    ]);
    await app.send('debugs 7 15');
    assert.equal(records(app.child).length, 0, 'DEBUG stays unwritten while nothing fires');
    await app.send('error boom');
    const lines = records(app.child).filter((l) => l.logger === 'app.db');
    assert.deepEqual(
      lines.map((l) => [l.backfill, l.level, l.message]),
      [...[3, 4, 5, 6, 7].map((i) => ['backfill', 'DEBUG', `d${i}`]), ['', 'ERROR', 'boom']],
    );
    const times = lines.map((l) => l.created);
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! >= times[i - 1]!, `own times, in order: ${times.join(' ')}`);
    assert.ok(
      times[4]! - times[0]! >= 0.04,
      `the backfilled lines keep the times they were logged at: ${times.join(' ')}`,
    );

    await app.child.waitFor(
      /logdial: trigger db \(app\.db ERROR "boom"\) fired after 5 backfilled records: set app\.db=DEBUG/,
    );
    await app.send('debug during the window');
    // A window of 8 s: long enough for a status call on a loaded machine.
    assert.match((await statusOverride(env, 'trg1')) ?? '', /trigger db \(app\.db ERROR "boom"\) set app\.db=DEBUG/);
    assert.ok(
      records(app.child).some((l) => l.message === 'during the window' && l.backfill === '' && l.level === 'DEBUG'),
    );

    await app.child.waitFor(/trigger db .* expired; back to the base configuration/, 30_000);
    assert.equal(await statusOverride(env, 'trg1'), null);
    await app.send('debug after the window');
    await app.send('info marker');
    assert.ok(records(app.child).some((l) => l.message === 'marker'));
    assert.ok(!records(app.child).some((l) => l.message === 'after the window'), 'DEBUG is off again');
  },
);

test(
  'an error storm opens one window, bounded by max_for, and no other during the cooldown',
  { timeout: 120_000 },
  async (t) => {
    const { root, env } = privateRuntime(t);
    const config = join(root, 'app.conf');
    writeFileSync(config, iniConfig({ db: 'loggers=app.db\nset=app.db:DEBUG\nfor=500ms\nmax_for=1s\ncooldown=1h' }));
    const app = await startApp(t, env, config, { TRG_APP: 'trg2' });

    const started = Date.now();
    await app.send('storm 150 20');
    await app.child.waitFor(/expired; back to the base configuration/, 30_000);
    const out = app.child.stdout();
    assert.equal((out.match(/logdial: trigger db \(.*\) fired/g) ?? []).length, 1, out);
    assert.equal((out.match(/expired; back to the base/g) ?? []).length, 1);
    assert.equal(records(app.child).filter((l) => l.message.startsWith('storm')).length, 150);
    // The storm lasted longer than max_for: the window closed while errors kept coming.
    assert.ok(Date.now() - started >= 1000);
    assert.equal(await statusOverride(env, 'trg2'), null);
    await app.send('error after the storm');
    await app.send('debug still cooling down');
    await app.send('info marker');
    assert.ok(!records(app.child).some((l) => l.message === 'still cooling down'));
  },
);

test('a pushed trigger takes effect, and revert removes it', { timeout: 120_000 }, async (t) => {
  const { root, env } = privateRuntime(t);
  const config = join(root, 'app.conf');
  writeFileSync(config, iniConfig({}));
  const app = await startApp(t, env, config, { TRG_APP: 'trg3' });

  await app.send('debugs 2 0');
  await app.send('error before the push');
  assert.ok(!records(app.child).some((l) => l.backfill === 'backfill'));

  const pushed = join(root, 'pushed.json');
  writeFileSync(
    pushed,
    // Incremental: only the triggers change; handlers and levels stay as they are.
    JSON.stringify({ version: 1, incremental: true, triggers: { pushed: { loggers: ['app'], backfill: 10 } } }),
  );
  const push = await cli(['push', pushed, '--app', 'trg3', '--for', '10m'], env);
  assert.equal(push.code, 0, push.stdout + push.stderr);
  assert.deepEqual((await statusOf(env, 'trg3')).triggers, ['pushed: ERROR in app; backfill 10 from DEBUG']);
  await app.send('debugs 3 0');
  await app.send('error after the push');
  const marked = records(app.child).filter((l) => l.backfill === 'backfill');
  assert.deepEqual(
    marked.map((l) => l.message),
    ['d1', 'd2', 'd3'],
  );

  const revert = await cli(['revert', '--app', 'trg3'], env);
  assert.equal(revert.code, 0, revert.stdout + revert.stderr);
  assert.deepEqual((await statusOf(env, 'trg3')).triggers, []);
  await app.send('debugs 2 0');
  await app.send('error after the revert');
  assert.equal(records(app.child).filter((l) => l.backfill === 'backfill').length, 3, 'no backfill after revert');
});

test(
  'scope = app opens the window on another process of the app (Redis bus)',
  { timeout: 120_000, skip: redisSkipReason },
  async (t) => {
    const redis = await startRedis();
    t.after(() => redis.dispose());
    const { root, env } = privateRuntime(t);
    const config = join(root, 'app.conf');
    writeFileSync(config, iniConfig({ db: 'loggers=app.db\nset=app.db:DEBUG\nfor=1m\nscope=app' }));
    const extra = { TRG_APP: 'trg4', TRG_BUS: redis.url };
    const first = await startApp(t, env, config, extra);
    const second = await startApp(t, env, config, extra);
    const listed = async () => {
      const ls = await cli(['ls', '--bus', redis.url, '--app', 'trg4', '--json'], env);
      return ls.code === 0 ? (JSON.parse(ls.stdout) as unknown[]).length : 0;
    };
    const end = Date.now() + 30_000;
    while ((await listed()) < 2) {
      if (Date.now() > end) throw new Error('both processes never appeared on the bus');
      await new Promise((r) => setTimeout(r, 100));
    }

    await first.send('error on the first replica');
    await first.child.waitFor(/trigger db opened its window on 1 other processes of the app/, 30_000);
    await second.child.waitFor(/logdial: set app\.db=DEBUG \(for 1m/, 30_000);
    await second.send('debug seen on the second replica');
    assert.ok(records(second.child).some((l) => l.message === 'seen on the second replica' && l.level === 'DEBUG'));
  },
);

test('npm run demo:triggers shows the backfill and a window that closes by itself', { timeout: 120_000 }, async () => {
  const demo = await run(process.execPath, [join(distRoot, 'examples', 'triggers', 'demo.js')], { timeoutMs: 60_000 });
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  assert.equal((demo.stdout.match(/^demo: ok /gm) ?? []).length, 5, demo.stdout);
});
