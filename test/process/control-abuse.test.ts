/**
 * Abuse of a control endpoint: random bytes, a 4 GiB length prefix, a frame cut in half, 500 idle
 * connections, a wrong HMAC, a replayed frame. The process keeps logging, answers status, and its
 * memory stays bounded.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { computeMac } from '../../src/control/auth.js';
import { sendCommand, localTargets } from '../../src/control/client.js';
import { encodeFrame, FrameDecoder } from '../../src/control/framing.js';
import type { ControlReply, Hello } from '../../src/control/protocol.js';
import { freePort } from '../helpers/ports.js';
import { after, cli, privateRuntime, startControlChild, until } from '../fixtures/control-helpers.js';

/** A raw TCP connection that collects the greeting and reply frames. */
function rawTcp(port: number): Promise<{ socket: Socket; hello: Hello; frames: Buffer[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let hello: Hello | null = null;
    const frames: Buffer[] = [];
    const decoder = new FrameDecoder(1 << 20);
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (!hello) {
        buf = Buffer.concat([buf, chunk]);
        const nl = buf.indexOf(10);
        if (nl < 0) return;
        hello = JSON.parse(
          buf
            .subarray(0, nl)
            .toString()
            .replace(/^LOGDIAL\/1 /, ''),
        ) as Hello;
        chunk = buf.subarray(nl + 1);
        resolve({ socket, hello, frames, closed });
      }
      frames.push(...decoder.push(chunk));
    });
    setTimeout(() => reject(new Error('no greeting')), 10000).unref();
  });
}

async function nextFrame(frames: Buffer[], timeoutMs = 10000): Promise<ControlReply> {
  const end = Date.now() + timeoutMs;
  while (frames.length === 0) {
    if (Date.now() > end) throw new Error('no reply frame');
    await new Promise((r) => setTimeout(r, 20));
  }
  return JSON.parse(frames.shift()!.toString()) as ControlReply;
}

function rawUnix(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.on('error', reject);
  });
}

test(
  'abuse (random bytes, 4 GiB prefix, cut frame, pipelined flood, 500 idle, bad HMAC, replay): the process keeps logging, answers status, memory bounded',
  { timeout: 180_000 },
  async (t) => {
    const { env } = privateRuntime(t);
    const port = await freePort();
    const secret = 'correct horse battery staple';
    const child = await startControlChild(t, env, {
      CTL_APP: 'abused',
      CTL_PORT: String(port),
      CTL_SECRET: secret,
      CTL_MEM: '1',
      CTL_INTERVAL: '200',
      CTL_IDLE_MS: '4000',
      CTL_MAX_CONN: '32',
    });
    const [target] = localTargets({ dir: env['LOGDIAL_RUNTIME_DIR']! });
    assert.ok(target);
    const status = async () => {
      const reply = await sendCommand(target, { op: 'status' }, { timeoutMs: 10000 });
      assert.equal(reply.ok, true);
      return reply;
    };
    await status();

    // Each abuse is a subtest of its own (in order, on the same process): one failing does not hide the rest.
    await t.test('random bytes on both transports', async () => {
      for (let i = 0; i < 5; i++) {
        const tcp = await rawTcp(port);
        tcp.socket.write(randomBytes(64 * 1024));
        tcp.socket.end();
        await tcp.closed;
        const unix = await rawUnix(target.socket);
        unix.on('error', () => {});
        unix.end(randomBytes(8 * 1024));
      }
      await status();
    });

    await t.test('a 4 GiB length prefix is refused at the header, nothing buffered', async () => {
      const huge = await rawTcp(port);
      huge.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
      huge.socket.write(randomBytes(1024));
      const hugeReply = await nextFrame(huge.frames);
      assert.equal(hugeReply.ok, false);
      assert.match(hugeReply.error!.message, /exceeds the limit/);
      await huge.closed;
    });

    // A frame left hanging: closed later by the idle timeout.
    const hanging = await rawUnix(target.socket);
    hanging.on('error', () => {});
    const hangingClosed = new Promise<void>((r) => hanging.on('close', () => r()));
    await t.test('a frame cut in half then EOF, and one left hanging', async () => {
      // Python's listener spins at 100% CPU on the first.
      const cut = await rawTcp(port);
      const whole = encodeFrame(JSON.stringify({ op: 'status' }));
      cut.socket.end(whole.subarray(0, 7));
      await cut.closed;
      hanging.write(whole.subarray(0, whole.length - 3));
      await status();
    });

    await t.test('an unauthenticated command and a wrong HMAC, raw and through the CLI', async () => {
      const plain = await rawTcp(port);
      plain.socket.write(encodeFrame(JSON.stringify({ op: 'set', levels: { root: 'DEBUG' } })));
      const plainReply = await nextFrame(plain.frames);
      assert.equal(plainReply.ok, false);
      assert.match(plainReply.error!.message, /authentication required/);
      plain.socket.destroy();
      const wrong = await cli(['set', 'root=DEBUG', '--port', String(port), '--secret', 'wrong', '--json'], env);
      assert.equal(wrong.code, 1);
      const wrongRows = JSON.parse(wrong.stdout) as Array<{ status: string; error?: string }>;
      assert.equal(wrongRows[0]?.status, 'rejected');
      assert.match(wrongRows[0].error!, /authentication failed/);
    });

    await t.test('a captured valid frame is accepted once, refused when replayed on any connection', async () => {
      const first = await rawTcp(port);
      const command = JSON.stringify({ op: 'set', levels: { 'app.replay': 'ERROR' }, create: true });
      const captured = encodeFrame(JSON.stringify({ command, mac: computeMac(secret, first.hello.nonce, command) }));
      first.socket.write(captured);
      assert.equal((await nextFrame(first.frames)).ok, true);
      first.socket.write(captured);
      const again = await nextFrame(first.frames);
      assert.equal(again.ok, false);
      assert.match(again.error!.message, /authentication failed/);
      first.socket.destroy();
      const second = await rawTcp(port);
      second.socket.write(captured);
      const replayed = await nextFrame(second.frames);
      assert.equal(replayed.ok, false);
      assert.match(replayed.error!.message, /authentication failed/);
      second.socket.destroy();
    });

    await t.test('commands pipelined by a peer that never reads: cut off, not buffered without end', async () => {
      const flood = await rawUnix(target.socket);
      flood.on('error', () => {});
      flood.pause();
      const floodClosed = new Promise<void>((r) => flood.on('close', () => r()));
      flood.write(Buffer.concat(Array.from({ length: 20000 }, () => encodeFrame(JSON.stringify({ op: 'status' })))));
      await floodClosed;
      await status();
    });

    await t.test('500 idle connections: status still answers (the longest-idle makes room)', async () => {
      const idle: Socket[] = [];
      for (let i = 0; i < 500; i++) {
        const s = i % 2 === 0 ? connect({ host: '127.0.0.1', port }) : connect(target.socket);
        s.on('error', () => {});
        idle.push(s);
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
      }
      await status();
      const viaTcp = await cli(['status', '--port', String(port), '--secret', secret, '--json'], env);
      assert.equal(viaTcp.code, 0, viaTcp.stderr + viaTcp.stdout);
      for (const s of idle) s.destroy();
      await hangingClosed; // closed by the idle timeout
    });

    // Still logging, with the right config, memory bounded.
    const mark = child.stdout().length;
    await until(
      () => /info tick/.test(after(child, mark)) && /rss \d+/.test(after(child, mark)),
      20000,
      'logging after abuse',
    );
    const final = await status();
    assert.equal(final.levels['root'], 'INFO');
    assert.equal(final.levels['app.replay'], 'ERROR');
    const rss = [...child.stdout().matchAll(/rss (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(rss.at(-1)! < 256 * 1024 * 1024, `rss ${rss.at(-1)}`);
    assert.doesNotMatch(child.stderr(), /Uncaught|TypeError|RangeError/);
  },
);
