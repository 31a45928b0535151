/**
 * Where viewed lines come from: a command (run in a pseudo-terminal when util-linux `script` is
 * there, so line-buffered tools flush as they go; stderr on its own pipe so each line keeps its
 * stream), a readable stream (standard input), or a file followed like `tail -F` across rotation
 * and truncation. Each source splits its text with a {@link LineSplitter}, so every source is
 * linear in its input and caps long lines.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, read, readSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import type { StreamName } from './filters.js';
import { descendants, signalAll } from './proc-tree.js';
import { type ByteFinder, ByteLines } from './byte-lines.js';
import type { UnixTarget } from '../control/client.js';
import { startTail, type TailSession } from '../control/tap-client.js';
import { MAX_TAP_TTL_MS, type TapRecordFrame } from '../control/tap.js';

/** Receives each line of a source. */
export type LineHandler = (text: string, cut: number, stream: StreamName) => void;

/** A running source. `done` resolves when it has no more lines. */
export interface Source {
  readonly name: string;
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * How a source splits its text: the longest line kept, and what pipe mode searches for — in bytes
 * (`finder`) when its filters allow, else in decoded text (`candidates`).
 */
export interface SplitOptions {
  maxLine: number;
  candidates?: RegExp | null;
  finder?: ByteFinder | null;
}

function byteLines(split: SplitOptions, onLine: (text: string, cut: number) => void): ByteLines {
  return new ByteLines(split.maxLine, onLine, split.finder ?? null, split.candidates ?? null);
}

/** Feeds a readable stream through a splitter; resolves at its end. */
function pump(
  stream: NodeJS.ReadableStream,
  split: SplitOptions,
  name: StreamName,
  onLine: LineHandler,
): Promise<void> {
  const lines = byteLines(split, (text, cut) => onLine(text, cut, name));
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    const finish = () => {
      lines.end();
      resolve();
    };
    stream.once('end', finish);
    stream.once('error', finish);
  });
}

/** Standard input, or any readable stream. */
export class StreamSource implements Source {
  readonly done: Promise<void>;
  constructor(
    readonly name: string,
    private readonly input: NodeJS.ReadableStream,
    split: SplitOptions,
    onLine: LineHandler,
  ) {
    this.done = pump(input, split, 'out', onLine);
  }
  stop(): void {
    this.input.pause();
  }
}

/**
 * A file descriptor (standard input) read into one buffer used again for every read: fresh
 * buffers per read cost page faults that, measured, took more time than searching the bytes.
 * The reads run off the main thread; each buffer is consumed before the next read starts.
 */
export class FdSource implements Source {
  readonly done: Promise<void>;
  private readonly buffer = Buffer.allocUnsafeSlow(1 << 20);
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly fd: number,
    split: SplitOptions,
    onLine: LineHandler,
  ) {
    const lines = byteLines(split, (text, cut) => onLine(text, cut, 'out'));
    this.done = new Promise((resolve) => {
      const finish = () => {
        lines.end();
        resolve();
      };
      const next = () => {
        if (this.stopped) return finish();
        read(this.fd, this.buffer, 0, this.buffer.length, null, (error, n) => {
          // A non-blocking pipe with nothing yet: look again shortly.
          if (error && error.code === 'EAGAIN') return void setTimeout(next, 5);
          if (error || n <= 0) return finish();
          lines.push(this.buffer.subarray(0, n));
          next();
        });
      };
      next();
    });
  }

  stop(): void {
    this.stopped = true;
  }
}

let scriptAvailable: boolean | undefined;
/** True when util-linux `script` (with `-e` and `-f`) can give the command a pseudo-terminal. */
export function ptyAvailable(): boolean {
  if (scriptAvailable === undefined) {
    const probe = spawnSync('script', ['-qfec', 'true', '/dev/null'], { stdio: 'ignore', timeout: 5000 });
    scriptAvailable = probe.status === 0;
  }
  return scriptAvailable;
}

// Inside `script`: restore the user's shell variable, move stderr to fd 3 (our pipe), run the command.
const PTY_WRAPPER =
  'c=$LOGDIAL_VIEW_COMMAND; unset LOGDIAL_VIEW_COMMAND; if [ -n "$LOGDIAL_VIEW_SHELL" ]; then SHELL=$LOGDIAL_VIEW_SHELL; else unset SHELL; fi; unset LOGDIAL_VIEW_SHELL; exec /bin/sh -c "$c" 2>&3 3>&-';

/** A shell command; its exit code is the program's (128 + signal number when a signal ended it). */
export class CommandSource implements Source {
  readonly done: Promise<void>;
  readonly child: ChildProcess;
  exitCode: number | null = null;
  exitText: string | null = null;
  private killTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    command: string,
    options: { env: NodeJS.ProcessEnv; pty: boolean; split: SplitOptions },
    onLine: LineHandler,
  ) {
    const pty = options.pty && ptyAvailable();
    // Its own process group, so a signal reaches the shell and what it started.
    this.child = pty
      ? spawn('script', ['-qfec', PTY_WRAPPER, '/dev/null'], {
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          env: {
            ...options.env,
            LOGDIAL_VIEW_COMMAND: command,
            LOGDIAL_VIEW_SHELL: options.env['SHELL'] ?? '',
            SHELL: '/bin/sh',
          },
          detached: true,
        })
      : spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env, detached: true });
    const errStream = (pty ? this.child.stdio[3] : this.child.stderr) as NodeJS.ReadableStream;
    const streams = [
      pump(this.child.stdout!, options.split, 'out', onLine),
      pump(errStream, options.split, 'err', onLine),
    ];
    if (pty) streams.push(pump(this.child.stderr!, options.split, 'err', onLine));
    const exited = new Promise<void>((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
        this.exitText = signal ? `ended by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      this.child.once('error', (error) => {
        this.exitCode = 127;
        this.exitText = `could not start: ${error.message}`;
        resolve();
      });
    });
    this.done = Promise.all([exited, ...streams]).then(() => {
      if (this.killTimer) clearTimeout(this.killTimer);
    });
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** Ends the program and everything it started: SIGTERM now, SIGKILL after `graceMs`. */
  stop(graceMs = 3000): void {
    if (!this.running || this.child.pid === undefined) return;
    // The program and what it started; `script` itself is left to report how its child ended.
    const pids = descendants(this.child.pid);
    signalAll(pids.size > 0 ? pids : [this.child.pid], 'SIGTERM');
    pids.add(this.child.pid);
    this.killTimer = setTimeout(() => signalAll(pids, 'SIGKILL'), graceMs);
    this.killTimer.unref();
  }
}

/** Buffers of 1 MiB read per turn of the event loop. */
const READS_PER_TURN = 16;

/** A file, followed by name like `tail -F`: rotation (a new file) and truncation start over. */
export class FileSource implements Source {
  readonly done: Promise<void>;
  private fd: number | null = null;
  private ino = -1;
  private position = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly lines: ByteLines;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private finish: () => void = () => {};

  constructor(
    readonly name: string,
    private readonly path: string,
    options: { follow: boolean; split: SplitOptions; pollMs?: number },
    onLine: LineHandler,
  ) {
    this.lines = byteLines(options.split, (text, cut) => onLine(text, cut, 'out'));
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.follow = options.follow;
    // Lines go out from the next turn on, once the caller holds this source.
    this.schedule();
    if (options.follow) this.timer = setInterval(() => this.schedule(), options.pollMs ?? 250);
  }

  private readonly follow: boolean;
  private scheduled = false;
  private ended = false;

  private schedule(): void {
    if (this.scheduled || this.ended) return;
    this.scheduled = true;
    setImmediate(() => this.step());
  }

  /** One slice of reading (a big file is read over several turns, so keys and redraws go on). */
  private step(): void {
    this.scheduled = false;
    if (this.ended) return;
    if (this.poll()) this.schedule();
    else if (!this.follow) this.end();
  }

  /** Reads what was added (true: there is more); reopens when the name points to another file or the file shrank. */
  private poll(): boolean {
    let current: { ino: number; size: number } | null = null;
    try {
      current = statSync(this.path);
    } catch {
      // Not there (between a rotation's rename and the new file): wait for it.
    }
    if (this.fd !== null && current && (current.ino !== this.ino || current.size < this.position)) {
      if (current.ino !== this.ino) this.drain();
      this.close();
    }
    if (this.fd === null && current) this.open();
    return this.drain(READS_PER_TURN);
  }

  private open(): void {
    try {
      this.fd = openSync(this.path, 'r');
      this.ino = fstatSync(this.fd).ino;
      this.position = 0;
    } catch {
      this.fd = null;
    }
  }

  /** Reads up to `reads` buffers; true when it stopped with more to read. */
  private drain(reads = Infinity): boolean {
    if (this.fd === null) return false;
    for (let i = 0; i < reads; i++) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, this.position);
      if (n <= 0) return false;
      this.position += n;
      this.lines.push(this.buffer.subarray(0, n));
    }
    return true;
  }

  private close(): void {
    if (this.fd === null) return;
    this.lines.endInput();
    closeSync(this.fd);
    this.fd = null;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.close();
    this.lines.end();
    this.finish();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.end();
  }
}

/** A tap's drop count as the status line and the end of pipe mode say it. */
export function droppedText(dropped: number): string {
  return `${dropped} record${dropped === 1 ? '' : 's'} dropped by the tap (read slower than logged)`;
}

/**
 * The records of one running process, through a `tail` tap on its control endpoint: what the
 * process writes to its own outputs does not change, and the tap goes away when this source stops
 * or the viewer dies (its connection closes).
 */
export class TapSource implements Source {
  readonly done: Promise<void>;
  private session: TailSession | null = null;
  private stopped = false;
  /** Why the tap could not start, for the status line. */
  failure: string | null = null;
  /** Records the process dropped for this slow reader: the latest frame's count (the end frame's last). */
  dropped = 0;

  constructor(
    readonly name: string,
    target: UnixTarget,
    tap: { logger: string; level: string },
    onLine: LineHandler,
  ) {
    const cmd = { op: 'tail' as const, logger: tap.logger, level: tap.level, ttl: MAX_TAP_TTL_MS };
    const show = (frame: TapRecordFrame) => {
      this.dropped = Math.max(this.dropped, frame.dropped);
      const text = `${new Date(frame.t).toISOString()} ${frame.level} ${frame.logger}: ${frame.msg}`;
      for (const line of (frame.exc ? `${text}\n${frame.exc}` : text).split('\n')) onLine(line, 0, 'out');
    };
    this.done = startTail(target, cmd, show).then(
      async (session) => {
        this.session = session;
        if (this.stopped) session.close();
        const end = await session.ended;
        if (end) this.dropped = Math.max(this.dropped, end.dropped);
      },
      (error: unknown) => {
        this.failure = error instanceof Error ? error.message : String(error);
        onLine(`logdial view: cannot tail ${name}: ${this.failure}`, 0, 'err');
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.session?.close();
  }
}
