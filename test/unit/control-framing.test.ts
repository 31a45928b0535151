/** Frames: Python's 4-byte big-endian length prefix, decoded incrementally and bounded. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from '../../src/control/framing.js';
import { computeMac, formatHello, parseHello, verifyMac } from '../../src/control/auth.js';
import { parseDuration } from '../../src/cli/duration.js';
import { legacyPayloadFor } from '../../src/control/client.js';

test('frames encode like struct.pack(">L", n) + payload', () => {
  const frame = encodeFrame('abc');
  assert.deepEqual([...frame], [0, 0, 0, 3, 97, 98, 99]);
});

test('the decoder reassembles frames split anywhere, byte by byte', () => {
  const payloads = ['', 'x', 'hello world', 'é'.repeat(1000)];
  const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
  for (const step of [1, 2, 3, 5, 7, 64, stream.length]) {
    const decoder = new FrameDecoder(10_000);
    const out: string[] = [];
    for (let i = 0; i < stream.length; i += step)
      out.push(...decoder.push(stream.subarray(i, i + step)).map((b) => b.toString()));
    assert.deepEqual(out, payloads, `step ${step}`);
    assert.equal(decoder.partial, false);
  }
});

test('a length over the limit fails at the header, before buffering', () => {
  const decoder = new FrameDecoder(1024);
  assert.throws(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3])), FrameTooLargeError);
  assert.equal(decoder.pending, 0);
});

test('HMAC: only the right secret and nonce verify', () => {
  const mac = computeMac('s', 'n1', '{"op":"ping"}');
  assert.equal(verifyMac('s', 'n1', '{"op":"ping"}', mac), true);
  assert.equal(verifyMac('s', 'n2', '{"op":"ping"}', mac), false);
  assert.equal(verifyMac('t', 'n1', '{"op":"ping"}', mac), false);
  assert.equal(verifyMac('s', 'n1', '{"op":"status"}', mac), false);
  assert.equal(verifyMac('s', 'n1', '{"op":"ping"}', 'zz'), false);
  const hello = {
    logdial: 1 as const,
    nonce: 'abc',
    auth: null,
    legacy: false,
    pid: 1,
    app: 'a',
    processName: 'MainProcess',
  };
  assert.deepEqual(parseHello(formatHello(hello).trimEnd()), hello);
  assert.equal(parseHello('SSH-2.0-OpenSSH'), null);
});

test('durations', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('2'), 2000);
  assert.equal(parseDuration('2', 'ms'), 2);
  assert.throws(() => parseDuration('soon'));
  assert.throws(() => parseDuration('0s'));
  // A bare zero is no duration either (`--for 0` would otherwise reach every process as a bad ttl).
  assert.throws(() => parseDuration('0'), /must be more than zero/);
  assert.throws(() => parseDuration('0.0001', 'ms'), /must be more than zero/);
});

test('Python frames for commands', () => {
  assert.deepEqual(legacyPayloadFor({ op: 'set', levels: { root: 'debug', 'app.db': 'INFO' } }), {
    payload: JSON.stringify({
      version: 1,
      incremental: true,
      loggers: { 'app.db': { level: 'INFO' } },
      root: { level: 'DEBUG' },
    }),
  });
  assert.ok('skip' in legacyPayloadFor({ op: 'set', levels: { root: 'DEBUG' }, ttl: 1000 }));
  assert.deepEqual(legacyPayloadFor({ op: 'apply', config: '[loggers]\n', format: 'ini' }), { payload: '[loggers]\n' });
  const json = legacyPayloadFor({ op: 'apply', config: '{"version": 1}', format: 'json' });
  assert.deepEqual(JSON.parse((json as { payload: string }).payload), { version: 1, disable_existing_loggers: false });
  const yaml = legacyPayloadFor({
    op: 'apply',
    config: 'version: 1\ndisable_existing_loggers: true\n',
    format: 'yaml',
  });
  assert.deepEqual(JSON.parse((yaml as { payload: string }).payload), { version: 1, disable_existing_loggers: true });
});
