/**
 * A socket tap's batch encoding: the frames it stages are byte for byte what encoding each
 * record frame on its own gives (the wire format the tail clients read), and the staging buffer
 * starts over after each batch taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TapBatch, tapRecordJson } from '../../src/control/tap-batch.js';
import { tapRecordFrame } from '../../src/control/tap.js';
import { encodeFrame, FrameDecoder } from '../../src/control/framing.js';
import { DEBUG, ERROR, INFO } from '../../src/core/levels.js';
import { LogRecord } from '../../src/core/record.js';

const records = (): LogRecord[] => {
  const failed = new Error('disk "full"\n\tat \\somewhere');
  return [
    new LogRecord('app.db', DEBUG, 'query took %d ms', [3]),
    new LogRecord('app.db', INFO, 'order %d stored', [42]),
    new LogRecord('', INFO, 'root says "hi"\n\u0001 naïve ☃ 😀 \ud800 lone', []),
    new LogRecord('app.other', ERROR, 'write failed', [], failed),
    new LogRecord('app.db', DEBUG, 'x'.repeat(70_000), []),
    new LogRecord('app.db', 15, 'a level of its own', []),
  ];
};

test('a record frame encoded by tapRecordJson is the JSON of tapRecordFrame', () => {
  for (const record of records()) {
    for (const dropped of [0, 7]) {
      assert.equal(tapRecordJson(record, dropped), JSON.stringify(tapRecordFrame(record, dropped)));
    }
  }
});

test('a batch holds the same bytes as one frame per record, and decodes back to the records', () => {
  const batch = new TapBatch();
  const expected: Buffer[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [i, record] of records().entries()) {
      batch.add(record, i);
      expected.push(encodeFrame(JSON.stringify(tapRecordFrame(record, i))));
    }
  }
  const bytes = Buffer.concat(expected);
  assert.equal(batch.bytes, bytes.length);
  const taken = batch.take();
  assert.ok(taken);
  assert.deepEqual(taken, bytes);
  const frames = new FrameDecoder(4 << 20).push(taken).map((f) => JSON.parse(f.toString('utf8')) as { msg: string });
  assert.equal(frames.length, 18);
  assert.equal(frames[1]?.msg, 'order 42 stored');
});

test('a batch starts over after it is taken, and has nothing to take when empty', () => {
  const batch = new TapBatch();
  assert.equal(batch.take(), null);
  // Past the size kept between batches, so the staging buffer grows and then shrinks back.
  for (let i = 0; i < 400; i++) batch.add(new LogRecord('big', INFO, 'y'.repeat(1000), []), 0);
  const first = batch.take();
  assert.ok(first && first.length > 256 * 1024);
  assert.equal(batch.bytes, 0);
  const after = new LogRecord('big', INFO, 'after', []);
  batch.add(after, 0);
  assert.deepEqual(batch.take(), encodeFrame(JSON.stringify(tapRecordFrame(after, 0))));
});
