/**
 * `tail` over the Redis bus, against a real redis-server: records of a running endpoint's logger
 * reach the viewer without changing what the process writes itself; the tap ends on expiry (with
 * an end frame), when the viewer detaches, and when the viewer's connection dies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectBusClient, type BusClient } from '../../src/control/bus/client.js';
import { startBusEndpoint, type BusEndpoint } from '../../src/control/bus/endpoint.js';
import { executeCommand } from '../../src/control/operations.js';
import type { TapRecordFrame } from '../../src/control/tap.js';
import { INFO } from '../../src/core/levels.js';
import { getLogger, type RecordHandler } from '../../src/core/logger.js';
import { redisSkipReason, startRedis, waitUntil, type RedisServer } from '../helpers/redis.js';

const APP = 'bus-tail';

async function setUp(t: { after(fn: () => unknown): void }): Promise<{ redis: RedisServer; endpoint: BusEndpoint }> {
  const redis = await startRedis(t);
  const endpoint = startBusEndpoint(redis.url, {
    app: APP,
    execute: executeCommand,
    heartbeatMs: 200,
    tapCheckMs: 100,
    unref: false,
  });
  t.after(() => endpoint.close());
  const probe = await connectBusClient(redis.url);
  try {
    await waitUntil(async () => (await probe.list({ app: APP })).length === 1, 30_000, 'the endpoint is present');
  } finally {
    await probe.close();
  }
  return { redis, endpoint };
}

async function client(t: { after(fn: () => unknown): void }, url: string): Promise<BusClient> {
  const c = await connectBusClient(url);
  t.after(() => c.close());
  return c;
}

test(
  'tail over the bus streams DEBUG records the process itself does not write',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const { redis, endpoint } = await setUp(t);
    const own: string[] = [];
    const logger = getLogger('bustail.a');
    logger.setLevel(INFO);
    const handler: RecordHandler = { level: 0, handle: (r) => void own.push(r.getMessage()) };
    logger.addHandler(handler);
    t.after(() => logger.removeHandler(handler));
    const viewer = await client(t, redis.url);
    const seen: TapRecordFrame[] = [];
    const session = await viewer.tail(
      { op: 'tail', logger: 'bustail.a', level: 'DEBUG', ttl: 60_000 },
      { app: APP },
      (f) => seen.push(f),
    );
    assert.equal(session.replies.get(endpoint.id)?.ok, true, JSON.stringify([...session.replies]));
    assert.match(session.replies.get(endpoint.id)?.result ?? '', /tapping bustail\.a from DEBUG/);
    assert.equal(endpoint.status().taps, 1);
    let n = 0;
    await waitUntil(
      () => {
        logger.debug('debug line %d', n++);
        return seen.some((f) => f.level === 'DEBUG' && f.logger === 'bustail.a');
      },
      30_000,
      'a DEBUG record arrives',
      50,
    );
    assert.deepEqual(own, [], 'the process writes no DEBUG line of its own');
    await session.close();
    await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the detached tap is removed');
  },
);

test(
  'a bus tap ends with an end frame when its ttl expires',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const { redis, endpoint } = await setUp(t);
    const viewer = await client(t, redis.url);
    const session = await viewer.tail({ op: 'tail', logger: 'bustail.b', ttl: 500 }, { app: APP }, () => undefined);
    assert.equal(session.replies.get(endpoint.id)?.ok, true);
    await session.ended;
    await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the expired tap is removed');
  },
);

test(
  "a bus tap is removed when the viewer's connection dies",
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const { redis, endpoint } = await setUp(t);
    const viewer = await connectBusClient(redis.url);
    await viewer.tail({ op: 'tail', logger: 'bustail.c', ttl: 60_000 }, { app: APP }, () => undefined);
    assert.equal(endpoint.status().taps, 1);
    // No goodbye: the connections just drop, as when the viewer's process is killed.
    (viewer as unknown as { cmd: { disconnect(): void }; sub: { disconnect(): void } }).sub.disconnect();
    (viewer as unknown as { cmd: { disconnect(): void } }).cmd.disconnect();
    await waitUntil(() => endpoint.status().taps === 0, 30_000, 'the orphaned tap is removed');
  },
);

test(
  'a bus tail with bad settings is refused with the reason and attaches nothing',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const { redis, endpoint } = await setUp(t);
    const viewer = await client(t, redis.url);
    const session = await viewer.tail({ op: 'tail', logger: 'x', level: 'NOPE' }, { app: APP }, () => undefined);
    const reply = session.replies.get(endpoint.id);
    assert.equal(reply?.ok, false);
    assert.match(reply?.error?.message ?? '', /^level:/);
    assert.equal(endpoint.status().taps, 0);
    await session.ended;
  },
);
