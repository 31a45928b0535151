/**
 * An app secret on the bus: only HMAC-signed, fresh, never-seen commands are carried out; bad
 * messages (unsigned, wrong secret, tampered, replayed, stale, oversized, malformed) are refused
 * and the endpoints keep their levels. Endpoints run in this process (the signing path is the same
 * in a child); commands arrive through a real redis-server.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { connectBusClient } from '../../src/control/bus/client.js';
import { type BusEndpoint, startBusEndpoint } from '../../src/control/bus/endpoint.js';
import { type AckMessage, type CommandBody, keys, newId, seal } from '../../src/control/bus/wire.js';
import type { ControlCommand, ProcessIdentity } from '../../src/control/protocol.js';
import { makeLevelExecutor } from '../fixtures/bus-executor.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';

const APP = 'secure';
const SECRET = 'correct horse battery staple';

test(
  'bus with an app secret refuses unsigned, wrongly signed, tampered, replayed and stale commands',
  { skip: redisSkipReason, timeout: 120_000 },
  async (t) => {
    const redis = await startRedis(t);
    const endpoints: BusEndpoint[] = [];
    for (let k = 0; k < 2; k++) {
      const identity: ProcessIdentity = {
        pid: process.pid,
        app: APP,
        processName: `secure/ep${k}`,
        host: hostname(),
        startedAt: new Date().toISOString(),
        version: 'test',
      };
      endpoints.push(
        startBusEndpoint(redis.url, {
          app: APP,
          secret: SECRET,
          identity,
          execute: makeLevelExecutor(`sec${k}`, identity),
          heartbeatMs: 300,
        }),
      );
    }
    t.after(() => Promise.all(endpoints.map((e) => e.close())));
    const good = await connectBusClient(redis.url, { secret: SECRET });
    const unsigned = await connectBusClient(redis.url);
    const wrong = await connectBusClient(redis.url, { secret: 'not the secret' });
    t.after(() => Promise.all([good.close(), unsigned.close(), wrong.close()]));
    await waitUntil(async () => (await good.list({ app: APP })).length === 2, 30_000, 'both endpoints present');

    // A raw connection publishing hand-made messages, and a spy on their reply channel.
    const raw = new Redis(redis.url, { lazyConnect: true });
    const spy = new Redis(redis.url, { lazyConnect: true });
    raw.on('error', () => undefined);
    spy.on('error', () => undefined);
    await Promise.all([raw.connect(), spy.connect()]);
    t.after(() => {
      raw.disconnect();
      spy.disconnect();
    });
    const spyChannel = keys.replyChannel('spy');
    const acks: AckMessage[] = [];
    spy.on('message', (_c: string, m: string) => acks.push(JSON.parse(m) as AckMessage));
    await spy.subscribe(spyChannel);
    const body = (cmd: ControlCommand, extra: Partial<CommandBody> = {}): CommandBody => ({
      id: newId(),
      client: 'spy',
      replyTo: spyChannel,
      app: APP,
      ts: Date.now(),
      nonce: newId(16),
      cmd,
      ...extra,
    });
    /** Publishes `message` and waits for `n` acks for `id`. */
    const publish = async (message: string, id: string, n = 2) => {
      await raw.publish(keys.appChannel(APP), message);
      await waitUntil(() => acks.filter((a) => a.id === id).length >= n, 20_000, `${n} answers to ${id}`);
      return acks.filter((a) => a.id === id).map((a) => a.reply);
    };
    const rootLevels = async () =>
      (await good.send({ op: 'status' }, { app: APP }, 10_000)).replies.map((r) => r.levels['root']);

    await t.test('unsigned commands are refused', async () => {
      const { replies, missing } = await unsigned.send({ op: 'set', levels: { root: 'DEBUG' } }, { app: APP }, 10_000);
      assert.equal(missing.length, 0);
      assert.equal(replies.length, 2);
      for (const r of replies) {
        assert.equal(r.ok, false);
        assert.equal(r.result, 'rejected');
        assert.match(r.error?.message ?? '', /unsigned/);
      }
      assert.deepEqual(await rootLevels(), ['WARNING', 'WARNING']);
      assert.equal(
        await raw.get(keys.desired(APP)),
        null,
        'a change everyone refused is not left as the desired override',
      );
    });

    await t.test('commands signed with the wrong secret are refused', async () => {
      const { replies } = await wrong.send({ op: 'set', levels: { root: 'DEBUG' } }, { app: APP }, 10_000);
      assert.equal(replies.length, 2);
      for (const r of replies) assert.match(r.error?.message ?? '', /bad signature/);
      assert.deepEqual(await rootLevels(), ['WARNING', 'WARNING']);
    });

    await t.test('a tampered command (body changed after signing) is refused', async () => {
      const b = body({ op: 'set', levels: { root: 'INFO' } });
      const env = seal(b, SECRET);
      env.body = env.body.replace('"INFO"', '"DEBUG"');
      const replies = await publish(JSON.stringify(env), b.id);
      for (const r of replies) assert.match(r.error?.message ?? '', /bad signature/);
      assert.deepEqual(await rootLevels(), ['WARNING', 'WARNING']);
    });

    await t.test('a replayed command is refused the second time', async () => {
      const b = body({ op: 'set', levels: { root: 'INFO' } });
      const message = JSON.stringify(seal(b, SECRET));
      const first = await publish(message, b.id);
      assert.ok(first.every((r) => r.ok && r.levels['root'] === 'INFO'));
      // Same bytes again (an attacker who captured the message).
      const all = await publish(message, b.id, 4);
      const second = all.slice(2);
      for (const r of second) {
        assert.equal(r.ok, false);
        assert.match(r.error?.message ?? '', /replayed/);
      }
    });

    await t.test('a stale signed command is refused', async () => {
      const b = body({ op: 'set', levels: { root: 'CRITICAL' } }, { ts: Date.now() - 10 * 60_000 });
      const replies = await publish(JSON.stringify(seal(b, SECRET)), b.id);
      for (const r of replies) assert.match(r.error?.message ?? '', /stale/);
      assert.deepEqual(await rootLevels(), ['INFO', 'INFO']);
    });

    await t.test('malformed and oversized messages are refused without effect', async () => {
      const refusedBefore = endpoints.map((e) => e.status().refused);
      await raw.publish(keys.appChannel(APP), 'not json at all');
      await raw.publish(keys.appChannel(APP), JSON.stringify({ v: 1, body: 'x'.repeat(1024 * 1024 + 10) }));
      const b = body({ op: 'explode' } as unknown as ControlCommand);
      const replies = await publish(JSON.stringify(seal(b, SECRET)), b.id);
      for (const r of replies) assert.match(r.error?.message ?? '', /unknown command/);
      await waitUntil(
        () => endpoints.every((e, i) => e.status().refused - refusedBefore[i]! >= 3),
        10_000,
        'three refusals counted',
      );
      assert.deepEqual(await rootLevels(), ['INFO', 'INFO']);
    });

    await t.test('a bad level is rejected by execute like a local command', async () => {
      const { replies } = await good.send({ op: 'set', levels: { root: 'LOUD' } }, { app: APP }, 10_000);
      assert.equal(replies.length, 2);
      for (const r of replies) {
        assert.equal(r.ok, false);
        assert.match(r.error?.message ?? '', /LOUD/);
      }
      assert.deepEqual(await rootLevels(), ['INFO', 'INFO']);
      assert.equal(
        await raw.get(keys.desired(APP)),
        null,
        'the refused change was taken back from the desired override',
      );
    });

    await t.test('an unsigned desired override planted in Redis is ignored', async () => {
      await raw.set(keys.desired(APP), JSON.stringify(seal(body({ op: 'set', levels: { root: 'DEBUG' } }))));
      await waitUntil(
        () => endpoints.every((e) => /desired override refused: unsigned/.test(e.status().lastError ?? '')),
        10_000,
        'endpoints refuse the planted override',
      );
      assert.deepEqual(await rootLevels(), ['INFO', 'INFO']);
      await raw.del(keys.desired(APP));
    });

    await t.test('signed commands from the right client are applied and acknowledged', async () => {
      const { replies, missing } = await good.send({ op: 'set', levels: { root: 'DEBUG' } }, { app: APP }, 10_000);
      assert.equal(missing.length, 0);
      assert.ok(replies.length === 2 && replies.every((r) => r.ok && r.levels['root'] === 'DEBUG'));
      const revert = await good.send({ op: 'revert' }, { app: APP }, 10_000);
      assert.ok(revert.replies.every((r) => r.ok && r.levels['root'] === 'WARNING'));
    });
  },
);
