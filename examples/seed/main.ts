/**
 * The seed's `main.py`: a main process and four children, all logging through the shared LOGGER
 * to the same place — the parent's standard output and standard error.
 *
 *   node dist/examples/seed/main.js            # ENV unset: debug.conf; ENV=dev: info.conf
 *   node --import logdial/callsites dist/examples/seed/main.js   # the same, caller fields without a stack capture per line
 *   logdial ls --app seed                      # in another terminal: the five processes
 *   logdial push examples/seed/logger_config/error.conf --app seed
 *
 * Python's multiprocessing runs each child in its own interpreter; here each child is this same
 * file started again with `LOGDIAL_PROCESS_NAME` set, so `%(processName)s` shows
 * `Logging Process #1`…`#4`, and `%(module)s.%(funcName)s` shows `main.write_logs` as in the seed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONTROL, LOGGER } from './lib/logger.js';

/** Milliseconds between two rounds of log lines (the seed's loop, slowed down to be readable). */
const INTERVAL_MS = Number(process.env['SEED_INTERVAL_MS'] ?? 1000);
const CHILDREN = 4;

function write_logs(): void {
  LOGGER.error('Oops, something weird happened.');
  LOGGER.info('Hey, something happened.');
  LOGGER.debug('Got http code 200.');
}

const isChild = process.env['LOGDIAL_PROCESS_NAME'] !== undefined;
const children: ChildProcess[] = [];
let stopping = false;

/** Stops logging, closes the control endpoint (its socket and manifest go) and exits. */
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const exited = Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => child.once('exit', () => r())),
    ),
  );
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
  await CONTROL.close();
  process.exit(code);
}

// `on`, not `once`: a second signal while stopping must not fall back to the default action,
// which would kill the process before it removed its socket.
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// Started by a parent with an IPC channel (the main process, or the demo): when that parent goes
// away, so do we — even if it was killed with SIGKILL and could not tell us.
if (process.send) process.once('disconnect', () => void stop(0));

if (!isChild) {
  for (let n = 1; n <= CHILDREN; n++) {
    const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
      env: { ...process.env, LOGDIAL_PROCESS_NAME: `Logging Process #${n}` },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
  }
  // Tell a parent that watches (the demo) who we are; nothing happens when run on its own.
  process.send?.({ seed: 'started', pids: [process.pid, ...children.map((child) => child.pid)] });
}

write_logs();
// Declared here, read by stop(): no signal handler runs before this synchronous module body ends.
const timer = setInterval(write_logs, INTERVAL_MS);
