/**
 * What an endpoint does with a frame (`decodeControlFrame`) and with a late command
 * (`lateCommand`), as pure decisions; and the legacy endpoint on a real socket: an envelope whose
 * MAC is wrong or malformed (or that no secret can check) is rejected and changes nothing, while
 * Python's bare frames and plain commands still work.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { computeMac } from '../../src/control/auth.js';
import { commandDeadline, lateCommand } from '../../src/control/deadline.js';
import { decodeControlFrame, type FrameContext } from '../../src/control/frame-decision.js';
import { encodeFrame, FrameDecoder } from '../../src/control/framing.js';
import { listen } from '../../src/control/listen.js';
import type { ControlReply } from '../../src/control/protocol.js';
import { levelName } from '../../src/core/levels.js';
import { getLogger } from '../../src/core/logger.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../fixtures/control-helpers.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const command = JSON.stringify({ op: 'set', levels: { root: 'DEBUG' } });

test('decodeControlFrame: an envelope is executed only with a MAC checked against a secret and an unspent nonce', () => {
  const signedCtx: FrameContext = { via: 'tcp', secret: 's3cret', nonce: 'n1', legacy: false };
  const good = decodeControlFrame(
    bytes(JSON.stringify({ command, mac: computeMac('s3cret', 'n1', command) })),
    signedCtx,
  );
  assert.deepEqual(good, { kind: 'execute', command: JSON.parse(command) as unknown, spendNonce: true });
  const wrong = decodeControlFrame(
    bytes(JSON.stringify({ command, mac: computeMac('other', 'n1', command) })),
    signedCtx,
  );
  assert.equal(wrong.kind, 'reject');
  assert.equal(wrong.kind === 'reject' && wrong.spendNonce, true);
  const spent = decodeControlFrame(bytes(JSON.stringify({ command, mac: computeMac('s3cret', 'n1', command) })), {
    ...signedCtx,
    nonce: null,
  });
  assert.match(spent.kind === 'reject' ? spent.message : '', /challenge already used/);
  // Where nothing can check a MAC — a legacy endpoint without a secret, a Unix socket — an envelope
  // is rejected whatever its MAC: wrong, malformed, missing or well-formed.
  for (const ctx of [
    { via: 'tcp', nonce: 'n1', legacy: true },
    { via: 'unix', nonce: null, legacy: false },
  ] as FrameContext[]) {
    for (const mac of ['0'.repeat(64), 'zz', 42, null, computeMac('anything', 'n1', command)]) {
      const decision = decodeControlFrame(bytes(JSON.stringify({ command, mac })), ctx);
      assert.equal(decision.kind, 'reject', `${ctx.via} ${String(mac)}`);
      assert.match(decision.kind === 'reject' ? decision.message : '', /no secret can check its MAC/);
    }
  }
});

test('decodeControlFrame: plain commands, bare configs and bad payloads', () => {
  const plain = bytes(command);
  assert.equal(decodeControlFrame(plain, { via: 'unix', nonce: null, legacy: false }).kind, 'execute');
  assert.equal(decodeControlFrame(plain, { via: 'tcp', nonce: 'n', legacy: true }).kind, 'execute');
  const unsigned = decodeControlFrame(plain, { via: 'tcp', secret: 's', nonce: 'n', legacy: true });
  assert.match(unsigned.kind === 'reject' ? unsigned.message : '', /authentication required/);
  const ini = bytes('[loggers]\nkeys=root\n');
  assert.equal(
    decodeControlFrame(ini, { via: 'tcp', secret: 's', nonce: 'n', legacy: true }).kind,
    'legacy',
    "Python's senders cannot sign",
  );
  assert.match(
    JSON.stringify(decodeControlFrame(ini, { via: 'unix', nonce: null, legacy: false })),
    /accepted only on a legacy endpoint/,
  );
  const notUtf8 = Buffer.from([0xff, 0xfe, 0x00]);
  assert.deepEqual(decodeControlFrame(notUtf8, { via: 'tcp', nonce: 'n', legacy: true }), {
    kind: 'reject',
    message: 'payload is not UTF-8',
    reply: false,
    audit: 'discarded a frame that is not UTF-8',
    spendNonce: false,
  });
  assert.equal(decodeControlFrame(notUtf8, { via: 'unix', nonce: null, legacy: false }).kind, 'reject');
});

test('decodeControlFrame: a frame cut inside a character, then a whole one: each decoded on its own', () => {
  // One decoder serves every frame: what a failed or truncated frame left must not reach the next.
  const cut = Buffer.from('{"op":"ping","x":"é"}').subarray(0, 19);
  assert.equal(decodeControlFrame(cut, { via: 'unix', nonce: null, legacy: false }).kind, 'reject');
  assert.equal(decodeControlFrame(bytes(command), { via: 'unix', nonce: null, legacy: false }).kind, 'execute');
});

test('lateCommand: no deadline is fine (older senders); a passed one is refused; commandDeadline leaves room to answer', () => {
  assert.equal(lateCommand(undefined, 1000), null);
  assert.equal(lateCommand(2000, 1000), null);
  assert.equal(lateCommand(2000, 2000), null);
  assert.match(lateCommand(2000, 2500)!, /arrived 500 ms after its sender's deadline/);
  assert.match(lateCommand('soon', 0)!, /deadline must be a number/);
  assert.equal(commandDeadline(10_000, 0), 9750);
  assert.equal(commandDeadline(1000, 0), 900);
  assert.equal(commandDeadline(1000, 0, 5000), 5900, 'skew moves it onto the receiver clock');
});

/** Sends one frame on a legacy TCP endpoint (after its greeting) and returns the reply, if any. */
function exchange(port: number, frame: Buffer): Promise<ControlReply | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let greeted = false;
    let buffered = Buffer.alloc(0);
    const decoder = new FrameDecoder();
    socket.on('error', reject);
    socket.on('close', () => resolve(null));
    socket.on('data', (chunk: Buffer) => {
      if (!greeted) {
        buffered = Buffer.concat([buffered, chunk]);
        const nl = buffered.indexOf(10);
        if (nl < 0) return;
        greeted = true;
        chunk = buffered.subarray(nl + 1);
        socket.write(frame);
      }
      const [reply] = decoder.push(chunk);
      if (reply) {
        socket.destroy();
        resolve(JSON.parse(reply.toString()) as ControlReply);
      }
    });
  });
}

test(
  'a legacy endpoint rejects an envelope with a wrong or malformed MAC, and applies nothing',
  { timeout: 60_000 },
  async (t) => {
    const port = await freePort();
    const handle = listen({ dir: `${tempDir(t)}/rt`, app: 'legacy-mac', port, legacy: true });
    t.after(() => handle.close());
    await handle.ready;
    const logger = getLogger('legacy.mac');
    logger.setLevel('INFO');
    const forged = JSON.stringify({ op: 'set', levels: { 'legacy.mac': 'DEBUG' } });
    for (const mac of ['0'.repeat(64), 'not-hex', 7]) {
      const reply = await exchange(port, encodeFrame(JSON.stringify({ command: forged, mac })));
      assert.equal(reply?.ok, false, JSON.stringify(reply));
      assert.match(reply.error!.message, /no secret can check its MAC/);
      assert.equal(levelName(logger.level), 'INFO', `applied with mac ${String(mac)}`);
    }
    // What legacy mode accepts still works: a plain command, then Python's bare dictConfig frame.
    const plain = await exchange(port, encodeFrame(forged));
    assert.equal(plain?.ok, true, JSON.stringify(plain));
    assert.equal(levelName(logger.level), 'DEBUG');
    await exchange(
      port,
      encodeFrame(JSON.stringify({ version: 1, incremental: true, loggers: { 'legacy.mac': { level: 'ERROR' } } })),
    );
    await until(() => levelName(logger.level) === 'ERROR', 10000, 'bare frame applied');
  },
);
