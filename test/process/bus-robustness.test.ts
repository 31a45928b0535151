/**
 * Redis is never on the logging path: a process whose bus is down at start logs normally, then
 * converges to the stored override once Redis is up; Redis dying later changes nothing in the
 * process; an endpoint aimed at nothing starts, logs, and closes in bounded time.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectBusClient } from '../../src/control/bus/client.js';
import { startBusEndpoint } from '../../src/control/bus/endpoint.js';
import type { ProcessIdentity } from '../../src/control/protocol.js';
import { makeLevelExecutor } from '../fixtures/bus-executor.js';
import { compiledFixtures } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { startChild } from '../helpers/proc.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';

const APP = 'robust';
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l)).length;

test(
  'Redis down at start: the process logs normally and converges when Redis comes up',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const redis = await startRedis(t);
    // Store a desired override (DEBUG for a minute) while no process is there, keep it on disk,
    // and take Redis down: the process below starts without a bus.
    const setup = await connectBusClient(redis.url);
    const stored = await setup.send({ op: 'set', levels: { root: 'DEBUG' }, ttl: 60_000 }, { app: APP }, 1000);
    assert.deepEqual(stored, { replies: [], missing: [] });
    await setup.close();
    await redis.stop({ save: true });

    const child = startChild(t, process.execPath, [join(compiledFixtures, 'bus-host.js')], {
      env: {
        ...process.env,
        BUS_URL: redis.url,
        BUS_APP: APP,
        BUS_COUNT: '1',
        BUS_NAME: 'lonely',
        BUS_HEARTBEAT_MS: '500',
        BUS_TICK_MS: '100',
      },
    });
    await child.waitFor('STARTED', 30_000);
    await t.test('with Redis down, logging goes on at the base level (WARNING ticks, no DEBUG)', async () => {
      await waitUntil(
        () => lines(child.stdout(), /^WARNING ep0\.work tick \d+$/) >= 10,
        30_000,
        'ten ticks logged with Redis down',
      );
      assert.equal(lines(child.stdout(), /^DEBUG ep0\.work/), 0);
    });
    await t.test('the outage is reported through logging', async () => {
      await waitUntil(
        () => /fleet bus .* unreachable/.test(child.stdout()),
        20_000,
        'the outage is reported once through logging',
      );
    });

    await redis.start();
    await t.test('once Redis is up, the process takes the stored override', async () => {
      await child.waitFor(/CHANGE ep0 set root=DEBUG/, 60_000);
      await child.waitFor(/DEBUG ep0\.work debug tick \d+/, 30_000);
    });

    await t.test('Redis dying later changes nothing; the process re-registers when it is back', async () => {
      await redis.stop();
      const ticks = lines(child.stdout(), /^WARNING ep0\.work tick/);
      await waitUntil(
        () => lines(child.stdout(), /^WARNING ep0\.work tick/) >= ticks + 10,
        30_000,
        'ten more ticks with Redis down',
      );
      const debugBefore = lines(child.stdout(), /^DEBUG ep0\.work/);
      await waitUntil(
        () => lines(child.stdout(), /^DEBUG ep0\.work/) > debugBefore,
        30_000,
        'still at DEBUG while Redis is down',
      );
      await redis.start();
      const client = await connectBusClient(redis.url);
      t.after(() => client.close());
      await waitUntil(async () => (await client.list({ app: APP })).length === 1, 60_000, 'present again');
      const { replies, missing } = await client.send({ op: 'revert' }, { app: APP }, 20_000);
      assert.deepEqual(missing, []);
      assert.equal(replies[0]?.result, 'reverted');
      assert.equal(replies[0]?.levels['root'], 'WARNING');
      assert.equal(child.proc.exitCode, null);
    });
  },
);

test(
  'an endpoint whose Redis never answers starts at once, never throws, and closes in bounded time',
  { timeout: 60_000 },
  async () => {
    const port = await freePort();
    const identity: ProcessIdentity = {
      pid: process.pid,
      app: APP,
      processName: 'nowhere',
      host: hostname(),
      startedAt: new Date().toISOString(),
      version: 'test',
    };
    const endpoint = startBusEndpoint(`redis://127.0.0.1:${port}`, {
      app: APP,
      identity,
      execute: makeLevelExecutor('nowhere', identity),
      heartbeatMs: 200,
    });
    assert.equal(endpoint.status().connected, false);
    await waitUntil(
      () => endpoint.status().lastError !== null,
      20_000,
      'the connection error is recorded (not thrown)',
    );
    await endpoint.close();
    assert.equal(endpoint.status().connected, false);
  },
);
