/**
 * pino and winston loggers reached through every transport of the control plane: the Redis bus
 * (a real redis-server), TCP with an HMAC secret, and `LOGDIAL_LISTEN=1` with no listen() call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';
import { cli, privateRuntime } from '../fixtures/control-helpers.js';
import { cliRows, debugStopped, mark, startAdapterApp, waitSince } from '../helpers/adapters.js';

test(
  'the Redis bus: a pino service dialled up for a while and back',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const redis = await startRedis(t);
    const { env } = privateRuntime(t);
    const app = await startAdapterApp(t, env, { ADP_LIB: 'pino', ADP_APP: 'busapp', ADP_BUS: redis.url });
    const target = ['--bus', redis.url, '--app', 'busapp'];
    await waitUntil(
      async () => (await cliRows(['ls', ...target], env)).length === 1,
      30_000,
      'ls --bus lists the service',
      300,
    );
    const at = mark(app);
    const rows = await cliRows(['set', 'app.db=debug', '--for', '2s', ...target], env);
    assert.equal(rows[0]?.reply?.levels['app.db'], 'debug');
    await waitSince(app, at, /"module":"db","msg":"debug db tick/, 'debug db lines');
    const status = await cliRows(['status', ...target], env);
    assert.equal(status[0]?.reply?.status?.loggers.find((l) => l.name === 'app.db')?.kind, 'pino');
    await waitUntil(
      async () => (await cliRows(['status', ...target], env))[0]?.reply?.override === null,
      30_000,
      'the override ends by itself',
      300,
    );
    await debugStopped(app, 'db');
  },
);

test('TCP with a secret: a winston service; a wrong secret is refused', { timeout: 120_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const port = await freePort();
  const app = await startAdapterApp(t, env, {
    ADP_LIB: 'winston',
    ADP_APP: 'tcpapp',
    ADP_PORT: String(port),
    ADP_SECRET: 's3cret',
  });
  const target = ['--port', String(port)];
  const wrong = await cli(['set', 'app=debug', ...target, '--secret', 'nope', '--json'], env);
  assert.equal(wrong.code, 1);
  const at = mark(app);
  const rows = await cliRows(['set', 'app=debug', '--for', '10m', ...target, '--secret', 's3cret'], env);
  assert.equal(rows[0]?.reply?.levels['app'], 'debug');
  await waitSince(app, at, /"level":"debug","message":"debug app tick/, 'debug app lines');
  const back = await cliRows(['revert', ...target, '--secret', 's3cret'], env);
  assert.equal(back[0]?.reply?.levels['app'], 'info');
  await debugStopped(app, 'app');
});

test('LOGDIAL_LISTEN=1: a pino service reachable without a listen() call', { timeout: 120_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const app = await startAdapterApp(t, env, { ADP_LIB: 'pino', LOGDIAL_LISTEN: '1', LOGDIAL_APP: 'autoapp' });
  const target = ['--app', 'autoapp'];
  await waitUntil(
    async () => (await cliRows(['ls', ...target], env)).length === 1,
    30_000,
    'ls lists the service',
    200,
  );
  const at = mark(app);
  await cliRows(['set', 'app=debug', '--for', '2s', ...target], env);
  await waitSince(app, at, /"msg":"debug app tick/, 'debug app lines');
  await waitUntil(
    async () => (await cliRows(['status', ...target], env))[0]?.reply?.override === null,
    30_000,
    'the override ends by itself',
    200,
  );
  await debugStopped(app, 'app');
});
