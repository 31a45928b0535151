/**
 * The bus through the real control plane and the real CLI: processes started with
 * `listen({ bus })` or only `LOGDIAL_BUS=…` in the environment; `logdial … --bus URL` lists them,
 * changes their levels temporarily (they show DEBUG, then revert by themselves), pushes a config
 * file, rejects what `executeCommand` rejects, and names a process that did not answer.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { cliEntry, compiledFixtures, sourceFixtures } from '../helpers/paths.js';
import { type Child, run, startChild } from '../helpers/proc.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

const APP = 'real';

test(
  'listen({ bus }) and LOGDIAL_BUS with the logdial CLI --bus',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const env: NodeJS.ProcessEnv = { ...process.env, LOGDIAL_RUNTIME_DIR: join(tempDir(t, 'logdial-bus-'), 'rt') };
    for (const name of ['LOGDIAL_LISTEN', 'LOGDIAL_BUS', 'LOGDIAL_SECRET', 'LOGDIAL_APP', 'NODE_OPTIONS'])
      delete env[name];
    const cli = (args: string[]) => run(process.execPath, [cliEntry, ...args], { env, timeoutMs: 60_000 });
    const spawnProc = (extra: NodeJS.ProcessEnv) =>
      startChild(t, process.execPath, [join(compiledFixtures, 'bus-listen-child.js')], {
        env: { ...env, BUS_URL: redis.url, BUS_APP: APP, ...extra },
      });
    const children: Child[] = [
      spawnProc({}),
      spawnProc({}),
      spawnProc({ BUS_VIA_ENV: '1', LOGDIAL_BUS: redis.url, LOGDIAL_APP: APP }),
    ];
    await Promise.all(children.map((c) => c.waitFor('STARTED', 30_000)));
    const pids = new Set(children.map((c) => c.proc.pid));

    await waitUntil(
      async () => {
        const ls = await cli(['ls', '--bus', redis.url, '--app', APP, '--json']);
        return ls.code === 0 && (JSON.parse(ls.stdout) as unknown[]).length === 3;
      },
      60_000,
      'logdial ls --bus lists the three processes',
      500,
    );
    const ls = await cli(['ls', '--bus', redis.url, '--app', APP, '--json']);
    assert.deepEqual(new Set((JSON.parse(ls.stdout) as Array<{ pid: number }>).map((p) => p.pid)), pids);
    // The table: the same columns as a local ls, the host first; one row per process.
    const lsTable = await cli(['ls', '--bus', redis.url, '--app', APP]);
    assert.equal(lsTable.code, 0, lsTable.stderr);
    assert.match(lsTable.stdout, /^HOST\s+PID\s+APP\s+PROCESS\s+UP\s*$/m);
    for (const pid of pids) assert.match(lsTable.stdout, new RegExp(`\\s${pid}\\s+${APP}\\s+\\S.*\\s\\d+(ms|s|m|h)`));
    const none = await cli(['ls', '--bus', redis.url, '--app', 'nobody-here']);
    assert.match(none.stdout, /no processes on the bus/);

    await t.test('set --for: every process acknowledges, shows DEBUG, then reverts by itself', async () => {
      const marks = children.map((c) => c.stdout().length);
      const set = await cli(['set', 'root=DEBUG', '--for', '3s', '--bus', redis.url, '--app', APP, '--json']);
      assert.equal(set.code, 0, set.stderr + set.stdout);
      const rows = JSON.parse(set.stdout) as TargetResult[];
      assert.equal(rows.length, 3);
      assert.ok(
        rows.every((r) => r.status === 'ok' && r.reply?.levels['root'] === 'DEBUG' && r.reply.override?.kind === 'set'),
        set.stdout,
      );
      assert.deepEqual(new Set(rows.map((r) => r.pid)), pids);
      await Promise.all(
        children.map((c, i) =>
          waitUntil(
            () => /DEBUG app\.work: debug tick/.test(c.stdout().slice(marks[i])),
            30_000,
            `child ${i} shows DEBUG`,
          ),
        ),
      );
      await Promise.all(
        children.map((c, i) =>
          waitUntil(() => /expired/.test(c.stdout().slice(marks[i])), 60_000, `child ${i} logs the expiry`),
        ),
      );
      const status = await cli(['status', '--bus', redis.url, '--app', APP, '--json']);
      assert.equal(status.code, 0, status.stderr);
      const statusRows = JSON.parse(status.stdout) as TargetResult[];
      assert.equal(statusRows.length, 3);
      assert.ok(
        statusRows.every((r) => r.reply?.levels['root'] === 'INFO' && !r.reply.status?.override),
        status.stdout,
      );
    });

    await t.test('push FILE --bus applies a config file in every process', async () => {
      const marks = children.map((c) => c.stdout().length);
      const push = await cli([
        'push',
        join(sourceFixtures, 'control-pushed.conf'),
        '--bus',
        redis.url,
        '--app',
        APP,
        '--json',
      ]);
      assert.equal(push.code, 0, push.stderr + push.stdout);
      const rows = JSON.parse(push.stdout) as TargetResult[];
      assert.equal(rows.length, 3);
      assert.ok(
        rows.every((r) => r.status === 'ok'),
        push.stdout,
      );
      await Promise.all(
        children.map((c, i) =>
          waitUntil(
            () => /PUSHED (DEBUG|INFO) app\.work/.test(c.stdout().slice(marks[i])),
            30_000,
            `child ${i} uses the pushed format`,
          ),
        ),
      );
      const revert = await cli(['revert', '--bus', redis.url, '--app', APP, '--json']);
      assert.equal(revert.code, 0, revert.stderr + revert.stdout);
    });

    await t.test(
      'a config the processes refuse (a file outside their allow-list) is rejected by each; the CLI exits 1',
      async () => {
        const dir = tempDir(t, 'logdial-bus-push-');
        const file = join(dir, 'outside.conf');
        writeFileSync(
          file,
          [
            '[loggers]',
            'keys=root',
            '[handlers]',
            'keys=file',
            '[formatters]',
            'keys=',
            '[handler_file]',
            'class=FileHandler',
            `args=('${join(dir, 'elsewhere.log')}', 'a')`,
            '[logger_root]',
            'level=DEBUG',
            'handlers=file',
            '',
          ].join('\n'),
        );
        const marks = children.map((c) => c.stdout().length);
        const push = await cli(['push', file, '--bus', redis.url, '--app', APP, '--json']);
        assert.equal(push.code, 1, push.stderr + push.stdout);
        const rows = JSON.parse(push.stdout) as TargetResult[];
        assert.equal(rows.length, 3);
        assert.ok(
          rows.every((r) => r.status === 'rejected' && r.reply?.levels['root'] === 'INFO'),
          push.stdout,
        );
        // The table names the host of each process (across hosts a pid alone is ambiguous) and says why.
        const table = await cli(['push', file, '--bus', redis.url, '--app', APP]);
        assert.equal(table.code, 1, table.stderr + table.stdout);
        assert.match(table.stdout, /^HOST\s+PID\s+APP\s+PROCESS\s+RESULT/m);
        assert.equal(table.stdout.split('\n').filter((line) => /\sREJECTED\s/.test(line)).length, 3, table.stdout);
        assert.equal(
          table.stderr.split('\n').filter((line) => /rejected: .*outside the directories/.test(line)).length,
          3,
          table.stderr,
        );
        // They keep logging with the old configuration.
        await Promise.all(
          children.map((c, i) =>
            waitUntil(
              () => /INFO app\.work: info tick/.test(c.stdout().slice(marks[i])),
              30_000,
              `child ${i} still logs`,
            ),
          ),
        );
      },
    );

    await t.test('with an app secret, the CLI needs --secret (or LOGDIAL_SECRET)', async () => {
      const guarded = spawnProc({ BUS_APP: 'guarded', BUS_SECRET: 'app secret' });
      await guarded.waitFor('STARTED', 30_000);
      await waitUntil(
        async () =>
          (await cli(['ls', '--bus', redis.url, '--app', 'guarded', '--json'])).stdout.includes(
            String(guarded.proc.pid),
          ),
        60_000,
        'the guarded process is listed',
        500,
      );
      const unsigned = await cli(['set', 'root=DEBUG', '--bus', redis.url, '--app', 'guarded', '--json']);
      assert.equal(unsigned.code, 1, unsigned.stdout);
      const rows = JSON.parse(unsigned.stdout) as TargetResult[];
      assert.ok(
        rows.length === 1 && rows[0]!.status === 'rejected' && /unsigned/.test(rows[0]!.error ?? ''),
        unsigned.stdout,
      );
      const signed = await cli([
        'set',
        'root=DEBUG',
        '--bus',
        redis.url,
        '--app',
        'guarded',
        '--secret',
        'app secret',
        '--json',
      ]);
      assert.equal(signed.code, 0, signed.stdout + signed.stderr);
      assert.equal((JSON.parse(signed.stdout) as TargetResult[])[0]?.reply?.levels['root'], 'DEBUG');
      guarded.proc.kill('SIGKILL');
    });

    await t.test('a process that died is named as not answering; the CLI exits 1', async () => {
      const dead = children[0]!;
      dead.proc.kill('SIGKILL');
      await dead.exited;
      // Its presence entry outlives it for up to three heartbeats: exactly when a sender must say so.
      const set = await cli(['set', 'root=WARNING', '--bus', redis.url, '--app', APP, '--timeout', '1500ms', '--json']);
      const rows = JSON.parse(set.stdout) as TargetResult[];
      const deadRow = rows.find((r) => r.pid === dead.proc.pid);
      if (deadRow) {
        assert.equal(set.code, 1, set.stdout);
        assert.equal(deadRow.status, 'no-answer');
      } else {
        // Presence already expired on a very slow machine: then it is simply not listed.
        assert.equal(set.code, 0, set.stdout);
      }
      assert.equal(rows.filter((r) => r.status === 'ok').length, 2);
    });
  },
);
