/**
 * The CPU time of this process's main thread, in milliseconds, for a benchmark target that times
 * its own event loop. `process.cpuUsage()` is exact but counts every thread — the push reader's
 * worker parsing on the other core, the garbage collector's helpers — so it can exceed what the
 * event loop itself spent. Node 20 has no per-thread figure, and Linux's per-thread counter
 * (`/proc/self/task/<tid>/schedstat`) of a thread that is running lags by up to a scheduler tick
 * (4 ms here). So: the process's figure minus the other threads' counters. A thread that is idle
 * when read has an exact counter; one still running is under-counted, which over-counts the main
 * thread: the figure is an upper bound, exact when the other threads are idle. Elsewhere than
 * Linux it is the process's figure.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

export interface ThreadCpuClock {
  /** 'main thread' (an upper bound, see above) or 'process' (no per-thread counters here). */
  readonly source: 'main thread' | 'process';
  /** CPU milliseconds. */
  now(): number;
}

function processMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A clock of the main thread's CPU time; re-reads the list of threads every `refreshEvery` calls. */
export function threadCpuClock(refreshEvery = 50): ThreadCpuClock {
  const dir = `/proc/self/task`;
  try {
    readdirSync(dir);
  } catch {
    return { source: 'process', now: processMs };
  }
  const buf = Buffer.alloc(128);
  let others = new Map<string, number>(); // tid → open schedstat descriptor
  let calls = 0;
  const refresh = () => {
    const next = new Map<string, number>();
    for (const tid of readdirSync(dir)) {
      if (tid === String(process.pid)) continue;
      const fd = others.get(tid) ?? openQuietly(`${dir}/${tid}/schedstat`);
      if (fd !== undefined) next.set(tid, fd);
    }
    for (const [tid, fd] of others) if (!next.has(tid)) closeSync(fd);
    others = next;
  };
  // Threads that ended keep their CPU in the process's figure: theirs is remembered when they go.
  let gone = 0;
  const last = new Map<string, number>();
  return {
    source: 'main thread',
    now() {
      if (calls++ % refreshEvery === 0) {
        refresh();
        for (const tid of [...last.keys()])
          if (!others.has(tid)) {
            gone += last.get(tid) ?? 0;
            last.delete(tid);
          }
      }
      let elsewhere = gone;
      for (const [tid, fd] of others) {
        let ms = last.get(tid) ?? 0;
        try {
          const n = readSync(fd, buf, 0, buf.length, 0);
          const text = buf.toString('latin1', 0, n);
          ms = Number(text.slice(0, text.indexOf(' '))) / 1e6;
        } catch {
          // the thread ended since the last refresh: its last reading stands
        }
        last.set(tid, ms);
        elsewhere += ms;
      }
      return processMs() - elsewhere;
    },
  };
}

function openQuietly(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}
