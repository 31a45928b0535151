// `logdial tail --bus` and `logdial view --bus --app`: the CLI streams a bus process's records
// through a temporary tap, against a real redis-server — the process's own output unchanged, and
// the tap gone when the CLI ends or is killed.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBusEndpoint, type BusEndpoint } from '../../src/control/bus/endpoint.js';
import { connectBusClient } from '../../src/control/bus/client.js';
import { executeCommand } from '../../src/control/operations.js';
import { INFO } from '../../src/core/levels.js';
import { getLogger, type RecordHandler } from '../../src/core/logger.js';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { run, startChild } from '../helpers/proc.js';
import { shellQuote, Terminal } from '../helpers/tmux.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

test(
  'logdial tail --bus streams DEBUG records of a bus process whose own output stays unchanged, and ends when the tap expires or the process dies',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const env = { ...process.env, LOGDIAL_RUNTIME_DIR: tempDir(t) };
    const child = startChild(t, process.execPath, [join(compiledFixtures, 'bus-listen-child.js')], {
      env: { ...env, BUS_URL: redis.url, BUS_APP: 'clitail' },
    });
    await child.waitFor('STARTED', 30_000);
    await waitUntil(
      async () =>
        (await run(process.execPath, [cliEntry, 'ls', '--bus', redis.url], { env })).stdout.includes('clitail'),
      30_000,
      'the process is on the bus',
    );
    const result = await run(
      process.execPath,
      [cliEntry, 'tail', '--bus', redis.url, '--app', 'clitail', '--logger', 'app.work', '--for', '2s'],
      { env, timeoutMs: 60_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    const who = `${hostname()}:${child.proc.pid}`;
    assert.match(result.stdout, new RegExp(`^${who} \\S+Z DEBUG app\\.work: debug tick \\d+$`, 'm'));
    assert.match(result.stdout, new RegExp(`^${who} \\S+Z INFO app\\.work: info tick \\d+$`, 'm'));
    assert.match(result.stderr, /tailing 1 process \(tapping app\.work from DEBUG/);
    assert.match(child.stdout(), /INFO app\.work: info tick/);
    assert.doesNotMatch(child.stdout(), /DEBUG/, 'the process wrote DEBUG lines of its own');

    // A process that dies sends no end frame: the tail ends once it is gone from the bus.
    const long = startChild(t, process.execPath, [
      cliEntry,
      'tail',
      '--bus',
      redis.url,
      '--app',
      'clitail',
      '--logger',
      'app.work',
      '--for',
      '1h',
    ]);
    await long.waitFor(/debug tick/, 60_000);
    child.proc.kill('SIGKILL');
    const ended = await long.exited;
    assert.equal(ended.code, 0, long.stderr());

    const none = await run(process.execPath, [cliEntry, 'tail', '--bus', redis.url, '--app', 'nobody'], {
      env,
      timeoutMs: 60_000,
    });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no process to tail/);
  },
);

/** A bus endpoint in this process that logs a DEBUG line every `tickMs` (none: 0), with a handler at INFO. */
async function loggingEndpoint(
  t: { after(fn: () => unknown): void },
  url: string,
  app: string,
  tickMs = 50,
): Promise<{ endpoint: BusEndpoint; own: string[] }> {
  const endpoint = startBusEndpoint(url, {
    app,
    execute: executeCommand,
    heartbeatMs: 200,
    tapCheckMs: 100,
    unref: false,
  });
  t.after(() => endpoint.close());
  const logger = getLogger(`${app}.work`);
  logger.setLevel(INFO);
  const own: string[] = [];
  const handler: RecordHandler = { level: 0, handle: (r) => void own.push(r.getMessage()) };
  logger.addHandler(handler);
  let n = 0;
  const timer = setInterval(() => tickMs > 0 && logger.debug('debug line %d', n++), tickMs || 1000);
  t.after(() => {
    clearInterval(timer);
    logger.removeHandler(handler);
  });
  const probe = await connectBusClient(url);
  try {
    await waitUntil(async () => (await probe.list({ app })).length === 1, 30_000, 'the endpoint is present');
  } finally {
    await probe.close();
  }
  return { endpoint, own };
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(
    `the bus tap goes away when logdial tail --bus gets ${signal}`,
    { skip: redisSkipReason, timeout: 180_000 },
    async (t) => {
      const redis = await startRedis(t);
      const app = `tailsig${signal.toLowerCase()}`;
      const { endpoint, own } = await loggingEndpoint(t, redis.url, app);
      const cli = startChild(t, process.execPath, [
        cliEntry,
        'tail',
        '--bus',
        redis.url,
        '--app',
        app,
        '--pid',
        String(process.pid),
        '--host',
        hostname(),
        '--logger',
        `${app}.work`,
        '--json',
        '--for',
        '1h',
      ]);
      await cli.waitFor(/"level":"DEBUG"/, 60_000);
      const first = JSON.parse(cli.stdout().split('\n')[0]!) as Record<string, unknown>;
      assert.equal(first['source'], `${hostname()}:${process.pid}`);
      assert.equal(first['logger'], `${app}.work`);
      assert.match(String(first['msg']), /^debug line \d+$/);
      assert.equal(endpoint.status().taps, 1);
      cli.proc.kill(signal);
      const exit = await cli.exited;
      if (signal === 'SIGTERM') assert.equal(exit.code, 0, cli.stderr());
      await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the tap is removed');
      assert.deepEqual(own, [], 'the process wrote no DEBUG line of its own');
      await endpoint.close();
    },
  );
}

test(
  'logdial view --bus --app shows the records of bus processes through a tap, and the tap goes when the viewer dies',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const app = 'busview';
    const { endpoint, own } = await loggingEndpoint(t, redis.url, app);
    const viewer = startChild(t, process.execPath, [
      cliEntry,
      'view',
      '--bus',
      redis.url,
      '--app',
      app,
      '--logger',
      `${app}.work`,
      '-f',
      'DEBUG',
    ]);
    const who = `${hostname()}:${process.pid}`.replace(/[.]/g, '\\.');
    await viewer.waitFor(new RegExp(`^${who} \\S+Z DEBUG ${app}\\.work: debug line \\d+$`, 'm'), 60_000);
    assert.equal(endpoint.status().taps, 1);
    viewer.proc.kill('SIGTERM');
    await viewer.exited;
    await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the tap is removed');
    assert.deepEqual(own, [], 'the process wrote no DEBUG line of its own');
    await endpoint.close();

    const wrong = await run(process.execPath, [cliEntry, 'view', '--bus', redis.url, '-e', 'true'], {
      timeoutMs: 60_000,
    });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--bus taps the processes of --app/);
  },
);

/**
 * Logs a burst far beyond the tap's 1 MiB buffer (the records beyond it are dropped, and only the
 * end frame carries their count: every record frame was queued before the drops), then a sentinel
 * until the reader shows it (the queue has drained), and one more record that is still queued when
 * it closes the endpoint (its taps' end frames). Resolves with how many records were logged.
 */
async function burstThenClose(endpoint: BusEndpoint, app: string, reader: { waitFor(p: RegExp): Promise<void> }) {
  const logger = getLogger(`${app}.work`);
  const payload = 'x'.repeat(1000);
  for (let i = 0; i < 20_000; i++) logger.debug('burst %s %d', payload, i);
  let logged = 20_000;
  const sentinel = setInterval(() => void (logger.debug('sentinel'), logged++), 200);
  try {
    await reader.waitFor(/sentinel/);
  } finally {
    clearInterval(sentinel);
  }
  // Still queued when the endpoint closes: it goes out before the end frame.
  logger.debug('last before close');
  await endpoint.close();
  return logged + 1;
}

test(
  'records a bus tap dropped after its last record frame, counted only in its end frame, are in the drop total of tail --bus and view --bus; records queued when the endpoint closes still arrive; view --bus tags its lines bus:APP beside a file',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const tailed = await loggingEndpoint(t, redis.url, 'dropstail', 0);
    const tail = startChild(t, process.execPath, [
      cliEntry,
      'tail',
      '--bus',
      redis.url,
      '--app',
      'dropstail',
      '--logger',
      'dropstail.work',
      '--json',
      '--for',
      '1h',
    ]);
    await waitUntil(() => tailed.endpoint.status().taps === 1, 60_000, 'the tail tap attached');
    const logged = await burstThenClose(tailed.endpoint, 'dropstail', tail);
    assert.equal((await tail.exited).code, 0, tail.stderr());
    const received = tail.stdout().trim().split('\n').length;
    const dropped = Number(/(\d+) records dropped/.exec(tail.stderr())?.[1] ?? 0);
    assert.ok(dropped > 10_000, tail.stderr());
    assert.equal(received + dropped, logged);
    assert.match(tail.stdout(), /last before close/);

    const dir = tempDir(t);
    const file = join(dir, 'local.log');
    writeFileSync(file, 'a line of a local file\n');
    const viewed = await loggingEndpoint(t, redis.url, 'dropsview', 0);
    const view = startChild(t, process.execPath, [
      cliEntry,
      'view',
      '--bus',
      redis.url,
      '--app',
      'dropsview',
      '--logger',
      'dropsview.work',
      '--tags',
      file,
    ]);
    await waitUntil(() => viewed.endpoint.status().taps === 1, 60_000, 'the view tap attached');
    const viewLogged = await burstThenClose(viewed.endpoint, 'dropsview', view);
    assert.equal((await view.exited).code, 0, view.stderr());
    const lines = view.stdout().trim().split('\n');
    assert.ok(lines.includes('[local.log] a line of a local file'), lines.slice(0, 3).join('\n'));
    const who = `${hostname()}:${process.pid}`;
    const tapped = lines.filter((line) => line.startsWith(`[bus:dropsview] ${who} `));
    assert.equal(tapped.length, lines.length - 1, 'every other line is the bus tap, tagged bus:dropsview');
    const viewDropped = Number(/(\d+) records dropped by the tap/.exec(view.stderr())?.[1] ?? 0);
    assert.ok(viewDropped > 10_000, view.stderr());
    assert.equal(tapped.length + viewDropped, viewLogged);
    assert.match(view.stdout(), /last before close/);
  },
);

test(
  'logdial view --bus in a real terminal tags the bus lines bus:APP beside a file and counts the tap drops on the status line',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const dir = tempDir(t);
    const file = join(dir, 'local.log');
    writeFileSync(file, 'a line of a local file\n');
    const { endpoint } = await loggingEndpoint(t, redis.url, 'tmuxview', 0);
    const cli = `${shellQuote(process.execPath)} ${shellQuote(cliEntry)}`;
    const term = new Terminal(t, `${cli} view --bus ${redis.url} --app tmuxview --logger tmuxview.work ${file}`, {
      ...process.env,
      XDG_STATE_HOME: join(dir, 'state'),
      NO_COLOR: '1',
    });
    await term.waitForText('local.log│a line of a local file');
    await waitUntil(() => endpoint.status().taps === 1, 60_000, 'the view tap attached');
    const logger = getLogger('tmuxview.work');
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 20_000; i++) logger.debug('burst %s %d', payload, i);
    const sentinel = setInterval(() => logger.debug('sentinel'), 200);
    t.after(() => clearInterval(sentinel));
    const who = `${hostname()}:${process.pid}`;
    const rows = await term.waitForText(`bus:tmuxview│${who} `, 60_000);
    assert.ok(!rows.some((row) => row.startsWith('stdin')), rows.join('\n'));
    await term.waitForText(/\d{5} records dropped by the tap/, 60_000);
    term.type('q');
    assert.equal((await term.exited()).code, 0);
    await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the tap is removed');
  },
);
