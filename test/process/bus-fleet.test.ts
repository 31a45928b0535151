/**
 * The fleet over a real redis-server: 20 child processes each hosting 10 logical endpoints (each
 * its own identity, presence entry, subscriber and logger subtree — see fixtures/bus-host.ts), so
 * 200 endpoints; then Redis restarted, a late starter, an expired override and a revert.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { type BusClient, type BusProcess, connectBusClient } from '../../src/control/bus/client.js';
import { keys } from '../../src/control/bus/wire.js';
import { compiledFixtures } from '../helpers/paths.js';
import { type Child, startChild } from '../helpers/proc.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';

const APP = 'fleet';
const HOSTS = 20;
const PER_HOST = 10;
const name = (p: BusProcess) => `${p.processName} (pid ${p.pid})`;
const countLines = (child: Child, pattern: RegExp) =>
  child
    .stdout()
    .split('\n')
    .filter((l) => pattern.test(l)).length;

test(
  'bus fleet: 200 endpoints in 20 processes, Redis restart, late starter, ttl expiry, revert',
  { skip: redisSkipReason, timeout: 300_000 },
  async (t) => {
    const redis = await startRedis(t);
    const spawnHost = (hostName: string, count = PER_HOST) =>
      startChild(t, process.execPath, [join(compiledFixtures, 'bus-host.js')], {
        env: {
          ...process.env,
          BUS_URL: redis.url,
          BUS_APP: APP,
          BUS_COUNT: String(count),
          BUS_NAME: hostName,
          BUS_HEARTBEAT_MS: '1000',
        },
      });
    const hosts = Array.from({ length: HOSTS }, (_, i) => spawnHost(`host${i}`));
    await Promise.all(hosts.map((h) => h.waitFor('STARTED', 60_000)));

    let client: BusClient = await connectBusClient(redis.url);
    t.after(() => client.close());
    const raw = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (n) => (n > 50 ? null : 200),
    });
    raw.on('error', () => undefined);
    await raw.connect();
    t.after(() => raw.disconnect());
    const total = HOSTS * PER_HOST;
    await waitUntil(
      async () => (await client.list({ app: APP })).length === total,
      90_000,
      `${total} endpoints are present`,
    );

    await t.test('a set reaches all 200 endpoints and each acknowledges', async () => {
      const { replies, missing } = await client.send({ op: 'set', levels: { root: 'DEBUG' } }, { app: APP }, 30_000);
      assert.deepEqual(missing.map(name), []);
      assert.equal(replies.length, total);
      assert.ok(
        replies.every((r) => r.ok && r.result === 'applied' && r.levels['root'] === 'DEBUG'),
        'every reply applied, root DEBUG',
      );
      assert.equal(new Set(replies.map((r) => r.process.processName)).size, total, 'distinct endpoints');
      assert.equal(new Set(replies.map((r) => r.process.pid)).size, HOSTS, 'in 20 processes');
      const listed = await client.list({ app: APP });
      await waitUntil(
        async () => (await client.list({ app: APP })).every((p) => p.levels['root'] === 'DEBUG'),
        20_000,
        'presence shows the new levels',
      );
      assert.equal(listed.length, total);
    });

    await t.test('Redis restarted: every process keeps its config, re-registers and converges', async () => {
      await client.close();
      const warned = hosts.map((h) => h.stdout().match(/fleet bus .* unreachable/g)?.length ?? 0);
      await redis.stop();
      // Pub/sub and keys are gone with the server; the processes must neither exit nor change.
      // Each host says so (one warning per process per minute) once its connections have failed.
      await waitUntil(
        () => hosts.every((h, i) => (h.stdout().match(/fleet bus .* unreachable/g)?.length ?? 0) > warned[i]!),
        30_000,
        'every host has seen Redis go',
      );
      for (const h of hosts) assert.equal(h.proc.exitCode, null, 'host still running');
      await redis.start();
      client = await connectBusClient(redis.url);
      await waitUntil(
        async () => (await client.list({ app: APP })).length === total,
        90_000,
        'all 200 endpoints present again',
      );
      // Redis lost the desired override; the endpoints put back the one they hold.
      await waitUntil(
        async () => (await raw.get(keys.desired(APP))) !== null,
        30_000,
        'the desired override is re-seeded',
      );
      const status = await client.send({ op: 'status' }, { app: APP }, 30_000);
      assert.deepEqual(status.missing.map(name), []);
      assert.ok(
        status.replies.every((r) => r.levels['root'] === 'DEBUG'),
        'kept DEBUG across the restart',
      );
      const { replies, missing } = await client.send({ op: 'set', levels: { root: 'ERROR' } }, { app: APP }, 30_000);
      assert.deepEqual(missing.map(name), []);
      assert.equal(replies.length, total);
      assert.ok(replies.every((r) => r.ok && r.levels['root'] === 'ERROR'));
    });

    await t.test('a process started after the push comes up with the override', async () => {
      const late = spawnHost('late');
      hosts.push(late);
      await late.waitFor('STARTED', 60_000);
      await waitUntil(
        () => countLines(late, /^CHANGE ep\d+ set root=ERROR$/) === PER_HOST,
        60_000,
        'the late process applied the stored override on every endpoint',
      );
      const { replies, missing } = await client.send({ op: 'status' }, { app: APP, pid: late.proc.pid! }, 20_000);
      assert.deepEqual(missing.map(name), []);
      assert.equal(replies.length, PER_HOST);
      assert.ok(replies.every((r) => r.levels['root'] === 'ERROR'));
    });

    await t.test('an override with a ttl expires everywhere, and later starters ignore it', async () => {
      const everyone = total + PER_HOST;
      await waitUntil(
        async () => (await client.list({ app: APP })).length === everyone,
        60_000,
        `${everyone} endpoints present`,
      );
      const before = hosts.map((h) => countLines(h, /^CHANGE ep\d+ expired/));
      const { replies, missing } = await client.send(
        { op: 'set', levels: { root: 'DEBUG' }, ttl: 2000 },
        { app: APP },
        30_000,
      );
      assert.deepEqual(missing.map(name), []);
      assert.equal(replies.length, everyone);
      assert.ok(replies.every((r) => r.ok && r.levels['root'] === 'DEBUG' && r.override !== null));
      await waitUntil(
        () => hosts.every((h, i) => countLines(h, /^CHANGE ep\d+ expired/) - before[i]! === PER_HOST),
        60_000,
        'every endpoint reverted by its ttl',
      );
      assert.equal(await raw.get(keys.desired(APP)), null, 'the stored override expired with it');
      const status = await client.send({ op: 'status' }, { app: APP }, 30_000);
      assert.deepEqual(status.missing.map(name), []);
      assert.ok(
        status.replies.every((r) => r.levels['root'] === 'WARNING' && r.override === null),
        'all back to the base level',
      );
      const afterExpiry = spawnHost('after-expiry', 2);
      await afterExpiry.waitFor('STARTED', 60_000);
      await waitUntil(
        async () => (await client.list({ app: APP, pid: afterExpiry.proc.pid! })).length === 2,
        60_000,
        'the new process is present',
      );
      const fresh = await client.send({ op: 'status' }, { app: APP, pid: afterExpiry.proc.pid! }, 20_000);
      assert.equal(fresh.replies.length, 2);
      assert.ok(fresh.replies.every((r) => r.levels['root'] === 'WARNING' && r.override === null));
      assert.equal(countLines(afterExpiry, /^CHANGE /), 0, 'applied nothing');
    });

    await t.test('revert clears the stored override and returns everyone to base', async () => {
      await client.send({ op: 'set', levels: { root: 'INFO' } }, { app: APP }, 30_000);
      assert.notEqual(await raw.get(keys.desired(APP)), null);
      const { replies, missing } = await client.send({ op: 'revert' }, { app: APP }, 30_000);
      assert.deepEqual(missing.map(name), []);
      assert.ok(replies.length >= total);
      assert.ok(replies.every((r) => r.ok && r.result === 'reverted' && r.levels['root'] === 'WARNING'));
      assert.equal(await raw.get(keys.desired(APP)), null);
    });
  },
);
