/** A client reads one greeting line (TCP) and then frames, whatever the split of the bytes. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_HELLO_BYTES } from '../../src/control/auth.js';
import { encodeFrame } from '../../src/control/framing.js';
import { GreetingReader } from '../../src/control/greeting-reader.js';

function read(expectHello: boolean, bytes: Buffer, step: number): { hellos: string[]; frames: string[] } {
  const hellos: string[] = [];
  const frames: string[] = [];
  const reader = new GreetingReader(
    expectHello,
    1024,
    (line) => hellos.push(line),
    (frame) => frames.push(frame.toString('utf8')),
  );
  for (let i = 0; i < bytes.length; i += step) reader.push(bytes.subarray(i, i + step));
  return { hellos, frames };
}

test('the greeting line comes once, before the frames, in any split', () => {
  const bytes = Buffer.concat([Buffer.from('LOGDIAL 1 hello\n'), encodeFrame('{"a":1}'), encodeFrame('{"b":2}')]);
  for (const step of [1, 3, 7, bytes.length]) {
    assert.deepEqual(
      read(true, bytes, step),
      { hellos: ['LOGDIAL 1 hello'], frames: ['{"a":1}', '{"b":2}'] },
      `step ${step}`,
    );
  }
});

test('without a greeting (a Unix socket) every byte is frames', () => {
  const bytes = Buffer.concat([encodeFrame('x\ny'), encodeFrame('z')]);
  assert.deepEqual(read(false, bytes, 2), { hellos: [], frames: ['x\ny', 'z'] });
});

test('a greeting over its bound and a frame over its bound throw', () => {
  const long = new GreetingReader(
    true,
    1024,
    () => {},
    () => {},
  );
  assert.throws(() => long.push(Buffer.alloc(MAX_HELLO_BYTES + 1, 0x41)), /greeting too long/);
  const big = new GreetingReader(
    false,
    16,
    () => {},
    () => {},
  );
  assert.throws(() => big.push(encodeFrame('x'.repeat(64))));
});
