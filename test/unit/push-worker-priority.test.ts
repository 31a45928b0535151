/**
 * The thread that reads pushed configurations runs below the process's other threads on Linux, so
 * a long parse (and its garbage collection) cannot leave the event loop waiting for a core.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { waitUntil } from '../helpers/wait.js';

/** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

test(
  'the push reader thread lowers its own priority and no other thread',
  { skip: process.platform !== 'linux' },
  async () => {
    const before = threadNiceValues().filter((nice) => nice === 19).length;
    const worker = new Worker(new URL('../../src/control/push-worker.js', import.meta.url));
    try {
      await waitUntil(
        () => threadNiceValues().filter((nice) => nice === 19).length === before + 1,
        10_000,
        'the push reader thread runs at nice 19',
        20,
      );
      // The main thread keeps its priority.
      assert.equal(getPriority(), 0);
    } finally {
      await worker.terminate();
    }
  },
);
