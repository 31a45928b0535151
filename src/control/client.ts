/**
 * Talking to control endpoints: one command to one target (Unix socket or TCP), a TCP port scan
 * that tells logdial listeners (they greet first) from Python's `logging.config.listen` (it never
 * sends a byte), and Python's bare frame for the latter. Used by the CLI; usable from code.
 */
import { connect, type Socket } from 'node:net';
import { hostname, userInfo } from 'node:os';
import { commandDeadline } from './deadline.js';
import { errorLine } from './error-line.js';
import { HELLO_PREFIX, parseHello, seal } from './auth.js';
import { GreetingReader } from './greeting-reader.js';
import { discover, removeEntry, type DiscoveryFilter } from './discovery.js';
import { encodeFrame } from './framing.js';
import type { ControlCommand, ControlReply, Hello, Manifest, SenderInfo } from './protocol.js';
import { runtimeDir } from './runtime-dir.js';
import { yaml } from '../config/lazy-yaml.js';

/** YAML is needed only to push a YAML file to Python listeners: loaded then, not at CLI start. */
function parseYaml(text: string): unknown {
  return yaml().parse(text);
}

/** A local process, reached through its Unix socket. */
export interface UnixTarget {
  kind: 'unix';
  socket: string;
  manifest: Manifest;
}
/** A TCP listener: logdial (greets) or Python (silent). */
export interface TcpTarget {
  kind: 'tcp';
  host: string;
  port: number;
}
export type Target = UnixTarget | TcpTarget;

/** Options of a send. */
export interface SendOptions {
  /** Whole exchange, connect to reply (default 3000 ms). */
  timeoutMs?: number;
  /** HMAC secret for authenticated TCP endpoints (default `LOGDIAL_SECRET`). */
  secret?: string;
  /** How long a TCP listener has to greet before it is taken for Python's (default 300 ms). */
  helloTimeoutMs?: number;
  /**
   * Target filter (`--app`/`--pid`) checked on a TCP listener's greeting before anything is sent;
   * a non-matching listener (and any Python listener, which cannot say who it is) is left alone.
   */
  match?: (who: { pid?: number; app?: string }) => boolean;
}

/** The endpoint could not be reached or did not answer in time. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The outcome for one target. */
export interface TargetResult {
  /** What the target is: a logdial process (unix or tcp) or a Python listener. */
  kind: 'unix' | 'tcp' | 'python' | 'bus';
  /** `host:port` or the socket path. */
  endpoint: string;
  pid?: number;
  app?: string;
  processName?: string;
  /** ok: acknowledged; rejected; no-answer; sent: Python frame sent (no ack); skipped: not sendable to this target; filtered: did not match `match` (dropped by sendToAll). */
  status: 'ok' | 'rejected' | 'no-answer' | 'sent' | 'skipped' | 'filtered';
  reply?: ControlReply;
  /** Error text (rejected: with its location) or the reason for no-answer/skipped. */
  error?: string;
  /** Round trip in ms. */
  elapsedMs: number;
}

/** This process as a sender, read once: the passwd lookup of `userInfo()` is a file read per call. */
let sender: SenderInfo | null = null;

/** Who this client is, sent with every command for the process's log line. */
export function senderInfo(): SenderInfo {
  sender ??= readSenderInfo();
  return { ...sender };
}

function readSenderInfo(): SenderInfo {
  const info: SenderInfo = { pid: process.pid, host: hostname() };
  if (typeof process.getuid === 'function') info.uid = process.getuid();
  try {
    info.user = userInfo().username;
  } catch {
    // no passwd entry (containers): uid is enough
  }
  return info;
}

/**
 * `cmd` with the deadline the receiver checks (unless the caller set one): a process that reads it
 * after we stopped waiting rejects it instead of applying it unseen.
 */
function withDeadline(cmd: ControlCommand, replyDeadline: number, skew: number): ControlCommand {
  return cmd.deadline === undefined ? { ...cmd, deadline: commandDeadline(replyDeadline, Date.now(), skew) } : cmd;
}

/** Reads frames (and, on TCP, the greeting line first) from a socket, with a deadline. */
class Exchange {
  private readonly reader: GreetingReader;
  private frames: Buffer[] = [];
  private hello: Hello | null = null;
  private helloSeen = false;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private ended = false;

  constructor(
    readonly socket: Socket,
    expectHello: boolean,
  ) {
    this.reader = new GreetingReader(
      expectHello,
      64 * 1024 * 1024,
      (line) => this.onHello(line),
      (frame) => this.frames.push(frame),
    );
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private onHello(line: string): void {
    this.helloSeen = true;
    this.hello = parseHello(line);
    if (!this.hello)
      throw new Error(line.startsWith(HELLO_PREFIX) ? 'bad greeting' : 'this listener speaks another protocol');
  }

  private onData(chunk: Buffer): void {
    try {
      this.reader.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      this.socket.destroy();
    }
    this.wake();
  }

  private waitUntil<T>(get: () => T | undefined, deadline: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = get();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
          return true;
        }
        if (this.failure) {
          clearTimeout(timer);
          reject(this.failure);
          return true;
        }
        if (this.ended) {
          clearTimeout(timer);
          reject(new NoAnswerError(`connection closed before ${what}`, 'ECLOSED'));
          return true;
        }
        return false;
      };
      const timer = setTimeout(
        () => {
          this.waiter = null;
          reject(new NoAnswerError(`no ${what} within the timeout`, 'ETIMEDOUT'));
        },
        Math.max(0, deadline - Date.now()),
      );
      if (check()) return;
      const loop = () => {
        if (!check()) this.waiter = loop;
      };
      this.waiter = loop;
    });
  }

  /** The greeting, or null if none arrives by `deadline` (a Python listener). */
  async readHello(deadline: number): Promise<Hello | null> {
    try {
      return await this.waitUntil(() => (this.helloSeen ? this.hello! : undefined), deadline, 'greeting');
    } catch (error) {
      if (error instanceof NoAnswerError && error.code === 'ETIMEDOUT') return null;
      throw error;
    }
  }

  readFrame(deadline: number): Promise<Buffer> {
    return this.waitUntil(() => this.frames.shift(), deadline, 'reply');
  }

  /** What a silent peer did after {@link silentPeerProbe} was written, by `deadline`. */
  async probeOutcome(deadline: number): Promise<SilentPeerObservation> {
    try {
      await this.waitUntil(() => (this.helloSeen || this.frames.length > 0 ? true : undefined), deadline, 'answer');
    } catch (error) {
      const closed = error instanceof NoAnswerError && error.code === 'ECLOSED';
      return { closed, answered: false, failed: !closed && !(error instanceof NoAnswerError) };
    }
    return { closed: this.ended, answered: true, failed: false };
  }
}

/** What a peer that sent no greeting did with the probe. */
export interface SilentPeerObservation {
  /** It closed the connection. */
  closed: boolean;
  /** It sent something (a late greeting, a reply): a logdial endpoint. */
  answered: boolean;
  /** The connection failed (reset, …). */
  failed: boolean;
}

/**
 * The first frame a silent TCP peer gets. For Python's `logging.config.listen` it is an empty
 * incremental dictConfig (Python ignores keys it does not know): a no-op it applies, after which
 * it closes the connection. For a logdial endpoint whose event loop is blocked (it has not
 * greeted yet) it is a `ping` with a deadline: answered, or rejected as late, never a change.
 */
export function silentPeerProbe(deadline: number): string {
  return JSON.stringify({ version: 1, incremental: true, op: 'ping', deadline });
}

/**
 * Whether a silent peer is Python's listener, from what it did with {@link silentPeerProbe}:
 * only a peer that closed the connection without sending a byte is. Anything else (no answer in
 * time, a late greeting, a reset) may be a logdial endpoint that is busy: a bare frame, which
 * carries no deadline, could then be applied long after the sender gave up, so none is sent.
 */
export function isPythonListener(seen: SilentPeerObservation): boolean {
  return seen.closed && !seen.answered && !seen.failed;
}

function connectTo(target: Target, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.kind === 'unix' ? connect(target.socket) : connect({ host: target.host, port: target.port });
    const timer = setTimeout(
      () => {
        socket.destroy();
        reject(new NoAnswerError('connect timed out', 'ETIMEDOUT'));
      },
      Math.max(0, deadline - Date.now()),
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new NoAnswerError(error.message, error.code));
    });
  });
}

function endpointOf(target: Target): string {
  return target.kind === 'unix' ? target.socket : `${target.host}:${target.port}`;
}

/**
 * Sends one command to a logdial endpoint and resolves with its reply. Rejects with
 * {@link NoAnswerError} when it cannot connect, or the reply does not come in time, or the TCP
 * listener is not logdial's (use {@link sendToTarget} for Python-aware sends).
 */
export async function sendCommand(
  target: Target,
  cmd: ControlCommand,
  options: SendOptions = {},
): Promise<ControlReply> {
  const result = await exchange(target, cmd, options, null);
  if (result.reply) return result.reply;
  throw new NoAnswerError(result.error ?? 'no answer');
}

/**
 * Python's bare frame for a command, or why none exists: `apply` sends the config text (YAML as
 * dictConfig JSON; JSON/YAML gain `disable_existing_loggers: false` unless they say otherwise or
 * `disableExisting` is set — INI cannot, Python's listen always disables there); `set` becomes an
 * incremental dictConfig; a ttl, `revert` and `status` have no Python equivalent.
 */
export function legacyPayloadFor(cmd: ControlCommand): { payload: string } | { skip: string } {
  switch (cmd.op) {
    case 'apply': {
      if (cmd.ttl !== undefined) return { skip: 'Python listeners cannot revert by themselves (--for)' };
      if (cmd.format === 'ini') return { payload: cmd.config };
      const obj = (cmd.format === 'yaml' ? parseYaml(cmd.config) : JSON.parse(cmd.config)) as Record<string, unknown>;
      if (cmd.disableExisting !== undefined || !('disable_existing_loggers' in obj))
        obj['disable_existing_loggers'] = cmd.disableExisting === true;
      return { payload: JSON.stringify(obj) };
    }
    case 'set': {
      if (cmd.ttl !== undefined) return { skip: 'Python listeners cannot revert by themselves (--for)' };
      const config: {
        version: 1;
        incremental: true;
        loggers: Record<string, { level: string | number }>;
        root?: { level: string | number };
      } = { version: 1, incremental: true, loggers: {} };
      for (const [name, level] of Object.entries(cmd.levels)) {
        const value = typeof level === 'string' ? level.toUpperCase() : level;
        if (name === '' || name === 'root') config.root = { level: value };
        else config.loggers[name] = { level: value };
      }
      return { payload: JSON.stringify(config) };
    }
    case 'ping':
      return { skip: 'Python listener (no status)' };
    default:
      return { skip: `Python listeners have no ${cmd.op}` };
  }
}

/** Sends to one target, never throws: the outcome says what happened. */
export async function sendToTarget(
  target: Target,
  cmd: ControlCommand,
  options: SendOptions = {},
): Promise<TargetResult> {
  return exchange(target, cmd, options, legacyPayloadFor);
}

type LegacyPayload = ((cmd: ControlCommand) => { payload: string } | { skip: string }) | null;

/** One command to one target: connect, greet (TCP), send, read the reply; never throws. */
async function exchange(
  target: Target,
  cmd: ControlCommand,
  options: SendOptions,
  legacy: LegacyPayload,
): Promise<TargetResult> {
  const started = performance.now();
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  const result = emptyResult(target);
  const withSender = { ...cmd, sender: cmd.sender ?? senderInfo() } as ControlCommand;
  let socket: Socket | null = null;
  try {
    socket = await connectTo(target, deadline);
    const ex = new Exchange(socket, target.kind === 'tcp');
    if (target.kind !== 'tcp') {
      socket.write(encodeFrame(JSON.stringify(withDeadline(withSender, deadline, 0))));
      return withReply(result, await ex.readFrame(deadline));
    }
    const helloDeadline = Math.min(deadline, Date.now() + (options.helloTimeoutMs ?? 300));
    const hello = await ex.readHello(helloDeadline);
    // Silent: Python's logging.config.listen.
    if (!hello) return await sendToPythonListener(target, ex, socket, { cmd, options, legacy, deadline }, result);
    result.pid = hello.pid;
    result.app = hello.app;
    result.processName = hello.processName;
    if (options.match && !options.match({ pid: hello.pid, app: hello.app })) {
      result.status = 'filtered';
      return result;
    }
    writeCommand(socket, hello, withSender, deadline, options);
    return withReply(result, await ex.readFrame(deadline));
  } catch (error) {
    result.status = 'no-answer';
    result.error = error instanceof Error ? error.message : String(error);
    if (error instanceof NoAnswerError && error.code === 'EAUTH') result.status = 'rejected';
    return result;
  } finally {
    result.elapsedMs = Math.round((performance.now() - started) * 10) / 10;
    socket?.destroy();
  }
}

/** A target's row before it answers: what its manifest says (local targets), no answer yet. */
function emptyResult(target: Target): TargetResult {
  const result: TargetResult = { kind: target.kind, endpoint: endpointOf(target), status: 'no-answer', elapsedMs: 0 };
  if (target.kind === 'unix') {
    result.pid = target.manifest.pid;
    result.app = target.manifest.app;
    result.processName = target.manifest.processName;
  }
  return result;
}

/**
 * Python's listener gets exactly one bare frame (its legacy payload), nothing else, and no reply.
 * A silent peer is first asked whether it is Python's (a no-op frame it closes after): a logdial
 * endpoint too busy to greet would otherwise read a bare frame, which carries no deadline, late.
 */
async function sendToPythonListener(
  target: Target,
  ex: Exchange,
  socket: Socket,
  send: { cmd: ControlCommand; options: SendOptions; legacy: LegacyPayload; deadline: number },
  result: TargetResult,
): Promise<TargetResult> {
  const { cmd, options, legacy, deadline } = send;
  result.kind = 'python';
  result.app = 'python';
  if (options.match) {
    result.status = 'filtered';
    return result;
  }
  if (!legacy) throw new NoAnswerError('not a logdial listener (no greeting)');
  const out = legacy(cmd);
  if ('skip' in out) {
    result.status = 'skipped';
    result.error = out.skip;
    return result;
  }
  socket.write(encodeFrame(silentPeerProbe(commandDeadline(deadline, Date.now()))));
  if (!isPythonListener(await ex.probeOutcome(deadline))) {
    result.kind = 'tcp';
    result.app = undefined;
    throw new NoAnswerError(
      'no greeting, and not a Python listener (it did not close after a no-op frame): a logdial endpoint that is busy? nothing was sent',
    );
  }
  socket.destroy();
  // Python's listen reads one frame per connection: the payload goes on a second one.
  const python = await connectTo(target, deadline);
  try {
    await new Promise<void>((resolve, reject) => {
      python.once('error', reject);
      python.end(encodeFrame(out.payload), () => resolve());
    });
  } finally {
    python.destroy();
  }
  result.status = 'sent';
  return result;
}

/** Writes the command to a greeting logdial listener: on its clock, sealed when it asks for a secret. */
function writeCommand(socket: Socket, hello: Hello, cmd: ControlCommand, deadline: number, options: SendOptions): void {
  // The greeting's clock turns our deadline into the server's (an older server sends none: no deadline).
  const text = JSON.stringify(
    typeof hello.now === 'number' ? withDeadline(cmd, deadline, hello.now - Date.now()) : cmd,
  );
  const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
  if (!hello.auth) {
    socket.write(encodeFrame(text));
    return;
  }
  if (!secret) throw new NoAnswerError('this endpoint requires a secret (--secret or LOGDIAL_SECRET)', 'EAUTH');
  socket.write(encodeFrame(JSON.stringify(seal(secret, hello.nonce, text))));
}

/** The row completed from the process's reply frame. */
function withReply(result: TargetResult, frame: Buffer): TargetResult {
  const reply = JSON.parse(frame.toString('utf8')) as ControlReply;
  result.reply = reply;
  result.pid = reply.process?.pid ?? result.pid;
  result.app = reply.process?.app ?? result.app;
  result.processName = reply.process?.processName ?? result.processName;
  result.status = reply.ok ? 'ok' : 'rejected';
  if (!reply.ok && reply.error) result.error = errorLine(reply.error);
  return result;
}

/** Local targets from the runtime directory (stale entries removed on the way). */
export function localTargets(filter: DiscoveryFilter = {}): UnixTarget[] {
  return discover(filter).map((manifest) => ({ kind: 'unix', socket: manifest.socket, manifest }));
}

/** TCP targets for every port of a range on a host. */
export function tcpTargets(host: string, from: number, to: number): TcpTarget[] {
  const list: TcpTarget[] = [];
  for (let port = from; port <= to; port++) list.push({ kind: 'tcp', host, port });
  return list;
}

/** Options of {@link sendToAll}. */
export interface SendAllOptions extends SendOptions {
  /** Runtime directory for stale-entry cleanup (default {@link runtimeDir}). */
  dir?: string;
  /** Keep results of TCP ports where nothing listens (default false: they are dropped, as a scan finds them). */
  keepClosedPorts?: boolean;
  /** Most exchanges in flight at once (default 256). */
  concurrency?: number;
}

/**
 * Sends `cmd` to every target concurrently (the whole range: a dead port does not stop the scan).
 * Unix targets whose socket refuses (process gone) are removed from the runtime directory and
 * dropped from the results; so are TCP ports where nothing listens, unless `keepClosedPorts`.
 */
export async function sendToAll(
  targets: Target[],
  cmd: ControlCommand,
  options: SendAllOptions = {},
): Promise<TargetResult[]> {
  const dir = options.dir ?? runtimeDir();
  const limit = Math.max(1, options.concurrency ?? 256);
  // Identify the sender once, not once per target.
  if (!cmd.sender) cmd = { ...cmd, sender: senderInfo() };
  const results = new Array<TargetResult | null>(targets.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!; // i < targets.length: the loop condition, with no await between
      const result = await sendToTarget(target, cmd, options);
      const refused = result.status === 'no-answer' && /ECONNREFUSED|ENOENT/.test(result.error ?? '');
      if (refused && target.kind === 'unix') {
        removeEntry(target.manifest, dir);
        continue;
      }
      if (refused && target.kind === 'tcp' && !options.keepClosedPorts) continue;
      if (result.status === 'filtered') continue;
      results[i] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
  return results.filter((r): r is TargetResult => r !== null);
}
