/**
 * Python's protocol on a logdial endpoint, in this process: bare dictConfig JSON and INI frames on
 * a `legacy: true` TCP endpoint, the `verify` hook, the INI fallback, a peer closing mid-frame
 * (discarded, no spinning), and bare frames refused on a non-legacy endpoint.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { encodeFrame } from '../../src/control/framing.js';
import { listen } from '../../src/control/listen.js';
import { getLogger } from '../../src/core/logger.js';
import { levelName } from '../../src/core/levels.js';
import { sendCommand } from '../../src/control/client.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../fixtures/control-helpers.js';

/** Sends bytes like update_log_levels.py does: connect, send, close without reading. */
function pythonSend(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.end(bytes);
    });
    s.on('error', reject);
    s.on('close', () => resolve());
    s.resume();
  });
}

test(
  'legacy endpoint: bare frames with Python semantics, verify hook, no spin on EOF',
  { timeout: 60_000 },
  async (t) => {
    const dir = tempDir(t);
    const port = await freePort();
    const verified: string[] = [];
    const handle = listen({
      dir: `${dir}/rt`,
      app: 'legacy-inproc',
      port,
      legacy: true,
      verify: (payload) => {
        const text = payload.toString('utf8');
        verified.push(text);
        // Like Python's verify: strip a signature line, or return null to drop the frame silently.
        return text.startsWith('#signed\n') ? Buffer.from(text.slice('#signed\n'.length)) : null;
      },
    });
    t.after(() => handle.close());
    await handle.ready;
    assert.equal(handle.port, port);
    const level = (name: string) => levelName(getLogger(name).level);
    getLogger('legacy.a').setLevel('INFO');

    // Unsigned: dropped by verify, nothing changes.
    await pythonSend(
      port,
      encodeFrame(JSON.stringify({ version: 1, incremental: true, loggers: { 'legacy.a': { level: 'ERROR' } } })),
    );
    await until(() => verified.length === 1, 10000, 'verify called');
    assert.equal(level('legacy.a'), 'INFO');

    // Signed dictConfig JSON (incremental): applied.
    await pythonSend(
      port,
      encodeFrame(
        '#signed\n' + JSON.stringify({ version: 1, incremental: true, loggers: { 'legacy.a': { level: 'ERROR' } } }),
      ),
    );
    await until(() => level('legacy.a') === 'ERROR', 10000, 'JSON frame applied');

    // Signed INI: fileConfig semantics (Python's fallback when the text is not a JSON dict).
    const ini =
      '[loggers]\nkeys=root,a\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=WARNING\nhandlers=\n[logger_a]\nlevel=DEBUG\nhandlers=\nqualname=legacy.a\n';
    await pythonSend(port, encodeFrame('#signed\n' + ini));
    await until(() => level('legacy.a') === 'DEBUG', 10000, 'INI frame applied');
    assert.equal(levelName(getLogger('').level), 'WARNING');

    // A peer that sends half a frame and closes: discarded; the endpoint keeps answering.
    const whole = encodeFrame(
      '#signed\n' + JSON.stringify({ version: 1, incremental: true, root: { level: 'CRITICAL' } }),
    );
    await pythonSend(port, whole.subarray(0, 20));
    const reply = await sendCommand({ kind: 'tcp', host: '127.0.0.1', port }, { op: 'status' });
    assert.equal(reply.ok, true);
    assert.equal(reply.levels['root'], 'WARNING');
    assert.equal(reply.status?.configSource?.startsWith('legacy frame from 127.0.0.1'), true);
  },
);

test(
  'a non-legacy endpoint refuses bare frames, and TCP without a secret does not start',
  { timeout: 30_000 },
  async (t) => {
    const dir = tempDir(t);
    const port = await freePort();
    const noSecret = listen({ dir: `${dir}/rt1`, port });
    t.after(() => noSecret.close());
    await noSecret.ready;
    assert.equal(noSecret.port, null, 'TCP needs a secret or legacy');
    assert.ok(noSecret.socketPath);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(noSecret.socketPath!, () => s.write(encodeFrame('[loggers]\nkeys=root\n')));
      let data = Buffer.alloc(0);
      s.on('data', (c: Buffer) => {
        data = Buffer.concat([data, c]);
        if (data.length >= 4 && data.length >= 4 + data.readUInt32BE(0)) {
          s.destroy();
          resolve(data.subarray(4).toString());
        }
      });
      s.on('error', reject);
    });
    assert.match(reply, /bare config frames are accepted only on a legacy endpoint/);
  },
);

test(
  'a second listen() in the same runtime directory adds no second socket, and renames the app',
  { timeout: 30_000 },
  async (t) => {
    const dir = `${tempDir(t)}/rt`;
    const first = listen({ dir, app: 'first' });
    const second = listen({ dir, app: 'second' });
    t.after(async () => {
      await second.close();
      await first.close();
    });
    await Promise.all([first.ready, second.ready]);
    assert.ok(first.socketPath);
    assert.equal(second.socketPath, null);
    const { discover } = await import('../../src/control/discovery.js');
    const listed = discover({ dir });
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.app, 'second');
  },
);
