/** Which silent TCP peer gets a bare frame: only one that behaved as Python's listener. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPythonListener, silentPeerProbe } from '../../src/control/client.js';

test('a silent peer that closed after the probe without a byte is Python', () => {
  assert.equal(isPythonListener({ closed: true, answered: false, failed: false }), true);
});

test('a silent peer that never closed may be a busy logdial endpoint: no bare frame', () => {
  assert.equal(isPythonListener({ closed: false, answered: false, failed: false }), false);
});

test('a silent peer that greets or answers late is logdial: no bare frame', () => {
  assert.equal(isPythonListener({ closed: true, answered: true, failed: false }), false);
  assert.equal(isPythonListener({ closed: false, answered: true, failed: false }), false);
});

test('a connection that failed says nothing about the peer: no bare frame', () => {
  assert.equal(isPythonListener({ closed: false, answered: false, failed: true }), false);
});

test('the probe is a no-op dictConfig for Python and a ping with a deadline for logdial', () => {
  const probe = JSON.parse(silentPeerProbe(1234)) as Record<string, unknown>;
  assert.deepEqual(probe, { version: 1, incremental: true, op: 'ping', deadline: 1234 });
});
