/**
 * Endpoints of one process sharing one pair of Redis connections (shareBusConnections): each is
 * still its own endpoint (listed, acknowledged, its own levels); closing one leaves the others
 * and the shared connections working. A real redis-server on a free port.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { connectBusClient } from '../../src/control/bus/client.js';
import { type BusEndpoint, shareBusConnections, startBusEndpoint } from '../../src/control/bus/endpoint.js';
import type { ProcessIdentity } from '../../src/control/protocol.js';
import { makeLevelExecutor } from '../fixtures/bus-executor.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';

const APP = 'shared';

test(
  'endpoints sharing one pair of connections are listed and acknowledge separately; closing one keeps the others',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const redis = await startRedis(t);
    const connections = shareBusConnections(redis.url);
    t.after(() => connections.close());
    const endpoints: BusEndpoint[] = [];
    for (let k = 0; k < 3; k++) {
      const identity: ProcessIdentity = {
        pid: process.pid,
        app: APP,
        processName: `shared${k}`,
        host: hostname(),
        startedAt: new Date().toISOString(),
        version: 'test',
      };
      const execute = makeLevelExecutor(`shared${k}`, identity);
      endpoints.push(startBusEndpoint(redis.url, { app: APP, identity, execute, heartbeatMs: 300, connections }));
    }
    t.after(() => Promise.all(endpoints.map((e) => e.close())));
    const client = await connectBusClient(redis.url);
    t.after(() => client.close());
    await waitUntil(async () => (await client.list({ app: APP })).length === 3, 30_000, 'three endpoints listed');

    const { replies, missing } = await client.send({ op: 'set', levels: { root: 'DEBUG' } }, { app: APP }, 20_000);
    assert.deepEqual(missing, []);
    assert.equal(replies.length, 3);
    assert.deepEqual(new Set(replies.map((r) => r.process.processName)), new Set(['shared0', 'shared1', 'shared2']));
    for (const reply of replies) assert.equal(reply.levels?.['root'], 'DEBUG');

    await endpoints[0]!.close();
    assert.equal(connections.pub.status, 'ready', 'closing an endpoint leaves the shared connections open');
    await waitUntil(async () => (await client.list({ app: APP })).length === 2, 30_000, 'the closed endpoint unlisted');
    const after = await client.send({ op: 'set', levels: { root: 'ERROR' } }, { app: APP }, 20_000);
    assert.deepEqual(after.missing, []);
    assert.deepEqual(new Set(after.replies.map((r) => r.process.processName)), new Set(['shared1', 'shared2']));
    for (const reply of after.replies) assert.equal(reply.levels?.['root'], 'ERROR');
  },
);
