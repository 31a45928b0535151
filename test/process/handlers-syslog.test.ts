/**
 * SysLogHandler on real sockets: UDP (the default, Python's `<PRI>msg\0`), a unix stream socket
 * and TCP with octet counting; priority encoding as Python's `encodePriority`.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { type Server, createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { SysLogHandler } from '../../src/index.js';
import { setErrorOutput } from '../../src/handlers/handler.js';
import { tempDir } from '../helpers/tmp.js';
import { isolatedLogger } from '../helpers/logger.js';
import { waitUntil } from '../helpers/wait.js';

/** Resolves with the first `count` items pushed, or rejects after a bounded wait. */
function collect<T>(count: number, subscribe: (push: (item: T) => void) => void, timeoutMs = 10_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    const timer = setTimeout(
      () => reject(new Error(`got ${items.length}/${count}: ${JSON.stringify(items)}`)),
      timeoutMs,
    );
    subscribe((item) => {
      items.push(item);
      if (items.length === count) {
        clearTimeout(timer);
        resolve(items);
      }
    });
  });
}

/** True when the handler holds no stream socket: its last connection attempt has failed (or none was made). */
const socketGone = (handler: SysLogHandler): boolean => handler['stream'] === null;

test('encodePriority and mapPriority follow Python', () => {
  const handler = new SysLogHandler({ address: ['127.0.0.1', 9] });
  assert.equal(handler.encodePriority('user', 'info'), 14);
  assert.equal(handler.encodePriority(SysLogHandler.LOG_LOCAL0, 'warning'), 132);
  assert.equal(handler.encodePriority('local7', SysLogHandler.LOG_DEBUG), 191);
  assert.equal(handler.mapPriority('CRITICAL'), 'critical');
  assert.equal(handler.mapPriority('TRACE'), 'warning');
  assert.equal(handler.target, 'udp://127.0.0.1:9');
  handler.close();
  assert.throws(() => new SysLogHandler({ facility: 'nope' }), /unknown syslog facility/);
  assert.throws(() => new SysLogHandler({ address: ['h', 0] }), /invalid syslog address/);
});

test('UDP: one datagram per record, `<PRI>` + message + NUL, with the facility given by name', async (t) => {
  const server = createSocket('udp4');
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const received = collect<string>(3, (push) => server.on('message', (msg) => push(msg.toString('utf8'))));
  const handler = new SysLogHandler({ address: ['127.0.0.1', port], facility: 'local0' });
  handler.ident = 'app: ';
  const log = isolatedLogger('syslog', handler);
  log.debug('d %d', 1);
  log.warning('w');
  log.critical('c ✓');
  const messages = await received;
  handler.close();
  assert.deepEqual(messages.sort(), ['<130>app: c ✓\0', '<132>app: w\0', '<135>app: d 1\0'].sort());
});

test('unix stream socket: NUL-terminated messages in order (Python framing)', async (t) => {
  const path = join(tempDir(t), 'log.sock');
  let data = '';
  const server: Server = createServer((conn) =>
    conn.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)),
  );
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const handler = new SysLogHandler({ address: path });
  assert.equal(handler.target, `unix://${path}`);
  const log = isolatedLogger('syslog', handler);
  for (let i = 0; i < 50; i++) log.info('m%d', i);
  await collect<void>(1, (push) => {
    const check = setInterval(() => {
      if (data.split('\0').length > 50) {
        clearInterval(check);
        push();
      }
    }, 5);
  });
  handler.close();
  assert.deepEqual(
    data.split('\0').slice(0, 50),
    Array.from({ length: 50 }, (_, i) => `<14>m${i}`),
  );
});

test('TCP with octet counting (RFC 6587) for rsyslog/syslog-ng', async (t) => {
  let data = '';
  const server: Server = createServer((conn) =>
    conn.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)),
  );
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const handler = new SysLogHandler({
    address: ['127.0.0.1', port],
    socktype: 'tcp',
    facility: 'daemon',
    framing: 'octet-counting',
  });
  assert.equal(handler.target, `tcp://127.0.0.1:${port}`);
  const log = isolatedLogger('syslog', handler);
  log.error('first');
  log.info('second é');
  await collect<void>(1, (push) => {
    const check = setInterval(() => {
      if (data.includes('second')) {
        clearInterval(check);
        push();
      }
    }, 5);
  });
  handler.close();
  assert.equal(data, `9 <27>first13 <30>second é`);
});

test('an unreachable unix socket is reported once; logging carries on', async (t) => {
  const path = join(tempDir(t), 'missing.sock');
  const handler = new SysLogHandler({ address: path });
  let stderr = '';
  const previous = setErrorOutput((report) => (stderr += report));
  try {
    const log = isolatedLogger('syslog', handler);
    log.info('a');
    await waitUntil(() => stderr !== '' && socketGone(handler), 10_000, 'the first failure is reported', 5);
    log.info('b');
    // The second record opened a socket of its own; its failure has been handled once it is gone.
    await waitUntil(() => socketGone(handler), 10_000, 'the second connection has failed', 5);
  } finally {
    setErrorOutput(previous);
  }
  handler.close();
  assert.equal(stderr.split('--- Logging error ---').length - 1, 1, stderr);
  assert.match(stderr, /ENOENT/);
});

test('a daemon that is not up at construction is no error until a record is sent (as in Python)', async (t) => {
  const path = join(tempDir(t), 'later.sock');
  let stderr = '';
  const previous = setErrorOutput((report) => (stderr += report));
  let handler: SysLogHandler;
  try {
    const created = new SysLogHandler({ address: path });
    handler = created;
    await waitUntil(() => socketGone(created), 10_000, 'the quiet first connection has failed', 5);
  } finally {
    setErrorOutput(previous);
  }
  assert.equal(stderr, '');
  // The daemon comes up: the next record connects.
  let data = '';
  const server: Server = createServer((conn) =>
    conn.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)),
  );
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  isolatedLogger('syslog', handler).warning('up');
  await collect<void>(1, (push) => {
    const check = setInterval(() => {
      if (data.includes('\0')) {
        clearInterval(check);
        push();
      }
    }, 5);
  });
  handler.close();
  assert.equal(data, '<12>up\0');
});
