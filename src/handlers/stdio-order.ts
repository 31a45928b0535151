/**
 * Keeps logged lines in order with the process's other output on stdout and stderr.
 *
 * A shared sink on fd 1 or 2 buffers lines until `setImmediate` (or a full buffer), so without
 * help `console.error('A'); log.warning('B'); console.error('C')` on a pipe prints A, C, B.
 * Here the process's own stream for that fd (`process.stdout` / `process.stderr`, which
 * `console` writes through) flushes the sink's pending lines before each of its writes: the
 * order is the call order, and a burst of log lines with no other output still goes out in
 * batches.
 *
 * Invariants: the stream is wrapped when the application first touches it (never created here:
 * creating it has side effects on the fd and costs start-up time), so the guard must be installed
 * before that (at load of the handlers layer); the wrapper adds one test when nothing is pending;
 * the sinks are found at each write, so a replaced sink is followed. Not covered: a stream the
 * application used before loading logdial, and writes that bypass the stream
 * (`fs.writeSync(1, …)`, a child process sharing the fd).
 */

const WRAPPED = Symbol.for('logdial.stdioOrder');
const guarded = new Set<number>();

type WritableWithMark = NodeJS.WriteStream & { [WRAPPED]?: true };

/** Wraps `stream.write` so that `flushPending()` runs first (once per stream). */
function wrapWrite(stream: WritableWithMark, flushPending: () => void): void {
  if (stream[WRAPPED]) return;
  type Write = (this: NodeJS.WriteStream, ...args: unknown[]) => boolean;
  // Read as a property: the wrapper calls it with the stream it is called on.
  const original = (stream as { write: Write }).write;
  stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    flushPending();
    return original.apply(this, args);
  };
  stream[WRAPPED] = true;
}

/**
 * Makes `process.stdout` (fd 1) or `process.stderr` (fd 2) call `flushPending()` (which writes
 * what the sinks hold, cheaply when they hold nothing) before each write; other fds are left alone.
 */
export function guardStdioOrder(fd: number, flushPending: () => void): void {
  if ((fd !== 1 && fd !== 2) || guarded.has(fd)) return;
  guarded.add(fd);
  const name = fd === 1 ? 'stdout' : 'stderr';
  const descriptor = Object.getOwnPropertyDescriptor(process, name);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with `process` as `this`
  const getter = descriptor?.get;
  if (getter === undefined || !descriptor!.configurable) {
    // Not a lazy getter (a test harness replaced it): wrap what is there.
    const stream: WritableWithMark | undefined = process[name];
    if (stream && typeof stream.write === 'function') wrapWrite(stream, flushPending);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: descriptor!.enumerable ?? false,
    get(this: NodeJS.Process) {
      const stream = getter.call(this) as WritableWithMark;
      if (stream && typeof stream.write === 'function') wrapWrite(stream, flushPending);
      return stream;
    },
  });
}
