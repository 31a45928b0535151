/**
 * Slow senders cannot hold a process's connections or memory: a frame has a total deadline from
 * its first byte, so connections dripping one byte a second over a real socket are cut off even
 * though they are never silent long enough for the idle timeout, and the memory of their partial
 * frames is released.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { cli, privateRuntime, until } from '../fixtures/control-helpers.js';
import { startChild } from '../helpers/proc.js';
import { compiledFixtures } from '../helpers/paths.js';
import { join } from 'node:path';

/** The child's latest `ab` (Buffer memory after a GC), from its `rss N ab M` lines. */
function latestBuffers(stdout: string): number {
  const all = [...stdout.matchAll(/rss \d+ ab (\d+)/g)];
  return all.length ? Number(all.at(-1)![1]) : NaN;
}

test(
  'connections dripping one byte a second are closed at the frame deadline, and their buffers released',
  { timeout: 120_000 },
  async (t) => {
    const { env } = privateRuntime(t);
    // --expose-gc: the child's `ab` figure is then what Buffers really hold, not garbage not yet collected.
    const child = startChild(t, process.execPath, ['--expose-gc', join(compiledFixtures, 'control-child.js')], {
      env: { ...env, CTL_APP: 'drip', CTL_MEM: '1', CTL_INTERVAL: '100', CTL_FRAME_MS: '3000', CTL_IDLE_MS: '60000' },
    });
    await child.waitFor(/READY /, 30000);
    const socketPath = /READY (\S+)/.exec(child.stdout())![1]!;
    await until(() => !Number.isNaN(latestBuffers(child.stdout())), 20000, 'a memory line');
    const baseline = latestBuffers(child.stdout());

    // Eight senders: each announces 1 MiB, sends 768 KiB of it, then one byte a second.
    const senders: Array<{ socket: Socket; closed: boolean; timer?: NodeJS.Timeout }> = [];
    for (let i = 0; i < 8; i++) {
      const socket = connect(socketPath);
      const sender: { socket: Socket; closed: boolean; timer?: NodeJS.Timeout } = { socket, closed: false };
      socket.on('error', () => {});
      socket.on('close', () => {
        sender.closed = true;
        clearInterval(sender.timer);
      });
      socket.on('connect', () => {
        const header = Buffer.alloc(4);
        header.writeUInt32BE(1024 * 1024);
        socket.write(Buffer.concat([header, Buffer.alloc(768 * 1024, 0x20)]));
        sender.timer = setInterval(() => socket.writable && socket.write('x'), 1000);
      });
      senders.push(sender);
    }
    t.after(() => senders.forEach((s) => (clearInterval(s.timer), s.socket.destroy())));
    // Held while they drip (the process really buffered them)...
    await until(() => latestBuffers(child.stdout()) > baseline + 4 * 1024 * 1024, 20000, 'the partial frames buffered');
    // ...then closed by the process (never by us), long before the 60 s idle timeout.
    await until(() => senders.every((s) => s.closed), 30000, 'every dripping connection closed by the process');
    await until(() => latestBuffers(child.stdout()) < baseline + 2 * 1024 * 1024, 20000, 'buffers released');
    // And the process still answers.
    const ping = await cli(['ls', '--app', 'drip'], env);
    assert.match(ping.stdout, /drip/);
  },
);
