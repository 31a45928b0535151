/**
 * Every protocol decision of a control endpoint, as the pure functions that make it: what a frame
 * is (auth, replay, legacy, malformed), which connection makes room under the cap, when a peer
 * that does not read is cut off, who a command says it comes from, what Python's bare frames are
 * tried as, what the environment asks for, and the one shape of a rejection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMac } from '../../src/control/auth.js';
import { decodeControlFrame, type FrameContext } from '../../src/control/frame-decision.js';
import { legacyCommands, verifiedPayload } from '../../src/control/legacy-apply.js';
import { listenOptionsFromEnv, parsePortEnv } from '../../src/control/listen-env.js';
import { rejectionReply, type ControlCommand, type ProcessIdentity } from '../../src/control/protocol.js';
import { connectionToEvict, isLoopback, repliesPileUp, requesterOf } from '../../src/control/server-policy.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const command = JSON.stringify({ op: 'set', levels: { root: 'DEBUG' } });
const signed: FrameContext = { via: 'tcp', secret: 's3cret', nonce: 'n1', legacy: false };
const envelope = (mac: unknown, text = command) => bytes(JSON.stringify({ command: text, mac }));

test('auth: a command signed with the secret over this connection nonce is executed and spends the nonce', () => {
  const decision = decodeControlFrame(envelope(computeMac('s3cret', 'n1', command)), signed);
  assert.deepEqual(decision, { kind: 'execute', command: JSON.parse(command) as unknown, spendNonce: true });
});

test('auth: a wrong MAC is rejected with a reply and an audit line, and spends the nonce', () => {
  const decision = decodeControlFrame(envelope(computeMac('other', 'n1', command)), signed);
  assert.equal(decision.kind, 'reject');
  if (decision.kind !== 'reject') return;
  assert.match(decision.message, /authentication failed \(wrong secret/);
  assert.equal(decision.reply, true);
  assert.equal(decision.spendNonce, true);
  assert.match(decision.audit ?? '', /rejected a command/);
});

test('auth: an unsigned command on an endpoint with a secret is rejected', () => {
  const decision = decodeControlFrame(bytes(command), signed);
  assert.equal(decision.kind, 'reject');
  assert.match(decision.kind === 'reject' ? decision.message : '', /authentication required/);
});

test('replay: a second signed frame on one connection (nonce spent) is rejected', () => {
  const decision = decodeControlFrame(envelope(computeMac('s3cret', 'n1', command)), { ...signed, nonce: null });
  assert.equal(decision.kind, 'reject');
  assert.match(decision.kind === 'reject' ? decision.message : '', /challenge already used/);
});

test('replay: a frame signed over another connection nonce is rejected', () => {
  const decision = decodeControlFrame(envelope(computeMac('s3cret', 'n0', command)), signed);
  assert.equal(decision.kind, 'reject');
});

test('auth: an envelope where no secret can check it (Unix socket, TCP without secret) is rejected', () => {
  for (const ctx of [
    { via: 'tcp', nonce: 'n1', legacy: true },
    { via: 'unix', nonce: null, legacy: false },
  ] as FrameContext[]) {
    const decision = decodeControlFrame(envelope(computeMac('x', 'n1', command)), ctx);
    assert.match(decision.kind === 'reject' ? decision.message : '', /no secret can check its MAC/, ctx.via);
  }
});

test('legacy: a bare config is handed to Python semantics only on a legacy TCP endpoint', () => {
  const ini = bytes('[loggers]\nkeys=root\n');
  const legacy = decodeControlFrame(ini, { via: 'tcp', nonce: 'n', legacy: true });
  assert.deepEqual(legacy, { kind: 'legacy', object: null, text: '[loggers]\nkeys=root\n' });
  const json = decodeControlFrame(bytes('{"version":1}'), { via: 'tcp', secret: 's', nonce: 'n', legacy: true });
  assert.deepEqual(json, { kind: 'legacy', object: { version: 1 }, text: '{"version":1}' });
  for (const ctx of [
    { via: 'unix', nonce: null, legacy: false },
    { via: 'tcp', secret: 's', nonce: 'n', legacy: false },
  ] as FrameContext[]) {
    const decision = decodeControlFrame(ini, ctx);
    assert.match(decision.kind === 'reject' ? decision.message : '', /accepted only on a legacy endpoint/);
  }
});

test('legacy: a plain command is executed on the Unix socket and on TCP without a secret', () => {
  assert.equal(decodeControlFrame(bytes(command), { via: 'unix', nonce: null, legacy: false }).kind, 'execute');
  assert.equal(decodeControlFrame(bytes(command), { via: 'tcp', nonce: 'n', legacy: true }).kind, 'execute');
});

test('malformed: a payload that is not UTF-8 is rejected; a legacy endpoint only notes it', () => {
  const notUtf8 = Buffer.from([0xff, 0xfe, 0x00]);
  const legacy = decodeControlFrame(notUtf8, { via: 'tcp', nonce: 'n', legacy: true });
  assert.deepEqual(legacy, {
    kind: 'reject',
    message: 'payload is not UTF-8',
    reply: false,
    audit: 'discarded a frame that is not UTF-8',
    spendNonce: false,
  });
  const unix = decodeControlFrame(notUtf8, { via: 'unix', nonce: null, legacy: false });
  assert.equal(unix.kind === 'reject' && unix.reply, true);
});

test('malformed: a signed envelope whose command is not JSON is rejected after the MAC check', () => {
  const text = 'not json';
  const decision = decodeControlFrame(envelope(computeMac('s3cret', 'n1', text), text), signed);
  assert.equal(decision.kind, 'reject');
  if (decision.kind !== 'reject') return;
  assert.equal(decision.message, 'command is not JSON');
  assert.equal(decision.spendNonce, true);
});

test('malformed: JSON that is neither a command nor an object is no command', () => {
  for (const text of ['[1,2]', '42', '"op"', 'null']) {
    const decision = decodeControlFrame(bytes(text), { via: 'unix', nonce: null, legacy: false });
    assert.match(decision.kind === 'reject' ? decision.message : '', /not a logdial command/, text);
  }
});

test('limits: no connection is closed while there is room; at the cap the one idle longest is', () => {
  const a = { lastActivity: 30 };
  const b = { lastActivity: 10 };
  const c = { lastActivity: 20 };
  assert.equal(connectionToEvict([a, b, c], 3, 4), null);
  assert.equal(connectionToEvict([a, b, c], 3, 3), b);
  assert.equal(connectionToEvict([], 0, 1), null);
});

test('limits: replies a peer does not read are cut off past one frame, and never below 1 MiB', () => {
  assert.equal(repliesPileUp(1 << 20, 1024), false);
  assert.equal(repliesPileUp((1 << 20) + 1, 1024), true);
  assert.equal(repliesPileUp(4 << 20, 8 << 20), false);
  assert.equal(repliesPileUp((8 << 20) + 1, 8 << 20), true);
});

test('requester: the transport and address for certain, the sender claims checked and cut', () => {
  const cmd = {
    op: 'ping',
    sender: { pid: 42, uid: 1.5, user: 'u'.repeat(100), host: 7 },
  } as unknown as ControlCommand;
  assert.deepEqual(requesterOf('tcp', '10.0.0.1:5', cmd), {
    via: 'tcp',
    address: '10.0.0.1:5',
    pid: 42,
    user: 'u'.repeat(64),
  });
  assert.deepEqual(requesterOf('unix', undefined, { op: 'ping' }), { via: 'unix' });
  assert.deepEqual(requesterOf('unix', undefined, { op: 'ping', sender: 'me' } as unknown as ControlCommand), {
    via: 'unix',
  });
});

test('loopback: only names and addresses of this machine count', () => {
  for (const host of ['localhost', '::1', '127.0.0.1', '127.1.2.3']) assert.equal(isLoopback(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com'])
    assert.equal(isLoopback(host), false, host);
});

test('legacy apply: JSON is tried first (disable_existing_loggers as it says, true by default), then INI', () => {
  const json = legacyCommands(
    { text: '{"version":1,"disable_existing_loggers":false}', object: { version: 1, disable_existing_loggers: false } },
    'h:1',
  );
  assert.deepEqual(
    json.map((c) => [c.format, c.disableExisting, c.source]),
    [
      ['json', false, 'legacy frame from h:1'],
      ['ini', true, 'legacy frame from h:1'],
    ],
  );
  assert.equal(legacyCommands({ text: '{"version":1}', object: { version: 1 } }, 'h')[0]?.disableExisting, true);
  assert.deepEqual(
    legacyCommands({ text: '[loggers]', object: null }, 'h').map((c) => c.format),
    ['ini'],
  );
});

test('legacy apply: the verify hook discards, passes or transforms a frame', () => {
  const frame = Buffer.from('{"a":1}');
  const decoded = { text: '{"a":1}', object: { a: 1 } };
  assert.equal(verifiedPayload(frame, decoded, undefined), decoded);
  assert.equal(
    verifiedPayload(frame, decoded, () => null),
    null,
  );
  assert.equal(
    verifiedPayload(frame, decoded, () => undefined),
    null,
  );
  assert.equal(
    verifiedPayload(frame, decoded, (b) => b),
    decoded,
  );
  assert.deepEqual(
    verifiedPayload(frame, decoded, () => '{"b":2}'),
    { text: '{"b":2}', object: { b: 2 } },
  );
  assert.deepEqual(
    verifiedPayload(frame, decoded, () => Buffer.from('[x]')),
    { text: '[x]', object: null },
  );
  assert.throws(
    () =>
      verifiedPayload(frame, decoded, () => {
        throw new Error('no');
      }),
    /no/,
  );
});

test('environment: LOGDIAL_LISTEN or LOGDIAL_BUS starts an endpoint with the options it names', () => {
  assert.equal(listenOptionsFromEnv({}), null);
  assert.equal(listenOptionsFromEnv({ LOGDIAL_LISTEN: '0', LOGDIAL_APP: 'x' }), null);
  assert.deepEqual(listenOptionsFromEnv({ LOGDIAL_LISTEN: 'Yes' }), {});
  assert.deepEqual(
    listenOptionsFromEnv({
      LOGDIAL_BUS: 'redis://h',
      LOGDIAL_APP: 'a',
      LOGDIAL_PORT: '7000-7010',
      LOGDIAL_SECRET: 's',
      LOGDIAL_LEGACY: '1',
      LOGDIAL_ALLOW_PATHS: '/var/log:udp://h:514',
    }),
    {
      app: 'a',
      port: [7000, 7010],
      secret: 's',
      legacy: true,
      bus: 'redis://h',
      allowPaths: ['/var/log', 'udp://h:514'],
    },
  );
  assert.equal(parsePortEnv('70x'), undefined);
  assert.equal(parsePortEnv(' 7000 '), 7000);
});

test('rejection: one reply shape for every refusal, with the levels and override known at the time', () => {
  const identity: ProcessIdentity = { pid: 1, app: 'a', processName: 'p', host: 'h', startedAt: 't', version: 'v' };
  assert.deepEqual(rejectionReply('unknown', 'why', identity), {
    ok: false,
    op: 'unknown',
    result: 'rejected',
    process: identity,
    error: { message: 'why' },
    levels: {},
    override: null,
  });
  const located = rejectionReply('apply', { message: 'x.conf:3: bad', location: 'x.conf:3' }, identity, {
    levels: { root: 'INFO' },
  });
  assert.deepEqual(located.error, { message: 'x.conf:3: bad', location: 'x.conf:3' });
  assert.deepEqual(located.levels, { root: 'INFO' });
});
