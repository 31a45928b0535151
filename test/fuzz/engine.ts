/**
 * The fuzzer behind `npm run fuzz` and its short form in `npm test`: seeded mutations of valid
 * INI, JSON and YAML configurations go through the parser (every error must be a located
 * `ConfigError`: file, line or path), and raw control frames — mutated commands, pushes of
 * mutated configs, truncated and oversized frames, bare bytes — go to a real listening process,
 * which must stay up and keep answering `ping`.
 *
 * Invariants: the same seed gives the same inputs; every wait is bounded; a finding records the
 * seed and input number that reproduce it.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { encodeFrame, FrameDecoder } from '../../src/control/framing.js';

/** One problem found, with what reproduces it. */
export interface Finding {
  kind: 'crash' | 'hang' | 'unlocated';
  input: string;
  index: number;
  detail: string;
  sample: string;
}

/** What a run found. */
export interface FuzzReport {
  seed: number;
  inputs: Record<string, number>;
  findings: Finding[];
  /** The slowest single input, in ms (a figure, not a pass/fail bound). */
  slowestMs: number;
  durationMs: number;
}

/** An input slower than this is reported as a hang (the parsers take milliseconds). */
export const HANG_MS = 5000;

/** Deterministic PRNG (mulberry32). */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const INI = `[loggers]\nkeys=root,app\n[handlers]\nkeys=console,mem\n[formatters]\nkeys=plain\n[formatter_plain]\nformat=%(asctime)s %(levelname)s %(name)s: %(message)s\ndatefmt=%H:%M:%S\n[handler_console]\nclass=StreamHandler\nlevel=DEBUG\nformatter=plain\nargs=(sys.stderr,)\n[handler_mem]\nclass=handlers.MemoryHandler\nargs=(10, ERROR)\ntarget=console\n[logger_root]\nlevel=INFO\nhandlers=console\n[logger_app]\nlevel=DEBUG\nhandlers=mem\nqualname=app\npropagate=0\n`;
const DICT = {
  version: 1,
  disable_existing_loggers: false,
  formatters: {
    plain: { format: '%(levelname)s %(name)s %(message)s' },
    brace: { format: '{levelname} {message}', style: '{' },
  },
  filters: { only: { name: 'app' } },
  handlers: {
    console: { class: 'logging.StreamHandler', stream: 'ext://sys.stderr', formatter: 'plain', filters: ['only'] },
    mem: { class: 'logging.handlers.MemoryHandler', capacity: 10, target: 'console' },
  },
  loggers: {
    app: { level: 'DEBUG', handlers: ['mem'], propagate: false },
    'app.db': { level: 'cfg://loggers.app.level' },
  },
  root: { level: 'INFO', handlers: ['console'] },
};
const JSON_TEXT = JSON.stringify(DICT, null, 2);
const YAML_TEXT = `version: 1\ndisable_existing_loggers: no\nformatters:\n  plain:\n    format: '%(levelname)s %(name)s %(message)s'\nhandlers:\n  console:\n    class: logging.StreamHandler\n    stream: ext://sys.stderr\n    formatter: plain\nloggers:\n  app:\n    level: DEBUG\n    handlers: [console]\n    propagate: no\n  app.db: &db {level: INFO}\n  app.web: *db\nroot:\n  level: INFO\n  handlers: [console]\n`;

/** Fragments that reach parser corners: delimiters, interpolation, escapes, references, nesting. */
const TOKENS = [
  '[',
  ']',
  '=',
  ':',
  '%(',
  ')s',
  '%%',
  '%',
  '(',
  ')',
  '{',
  '}',
  ',',
  "'",
  '"',
  '\\',
  '\\x',
  '\\u12',
  '\n',
  '\r',
  '\t',
  ' ',
  '#',
  ';',
  '- ',
  '? ',
  '&a ',
  '*a',
  '!!python/object ',
  '<<: ',
  'cfg://',
  'ext://',
  '()',
  '.',
  '__proto__',
  'constructor',
  'True',
  'None',
  '1e309',
  '0x',
  '-',
  '+',
  '*',
  '\u0000',
  '\ufeff',
  '\u2028',
  '😀',
  'sys.stdout',
  'handlers.',
  'logging.',
  'keys=',
  'class=',
  'args=',
  'level: ',
  'DEBUG',
  'NOTSET',
];

/** A mutation of `text`: flips, inserts, deletions, duplications and long runs. */
export function mutate(random: Random, text: string): string {
  let out = text;
  const rounds = 1 + random.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = random.int(out.length + 1);
    switch (random.int(7)) {
      case 0:
        out = out.slice(0, at) + random.pick(TOKENS) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + random.int(20));
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(random.int(0x80)) + out.slice(at + 1);
        break;
      case 3: {
        const len = random.int(40);
        out = out.slice(0, at) + out.slice(at, at + len).repeat(1 + random.int(50)) + out.slice(at);
        break;
      }
      case 4:
        // A long run: the shape of input that once made parsers quadratic.
        out = out.slice(0, at) + random.pick(TOKENS).repeat(1000 + random.int(20_000)) + out.slice(at);
        break;
      case 5:
        out = out.slice(0, at);
        break;
      default: {
        const from = random.int(out.length + 1);
        out = out.slice(0, at) + out.slice(from, from + random.int(200)) + out.slice(at);
      }
    }
  }
  return out;
}

const SEEDS: ReadonlyArray<['ini' | 'json' | 'yaml', string]> = [
  ['ini', INI],
  ['json', JSON_TEXT],
  ['yaml', YAML_TEXT],
];

/** Parses `count` mutated configurations; records crashes (non-ConfigError), hangs and unlocated errors. */
export function fuzzConfigs(seed: number, count: number, report: FuzzReport): void {
  const random = new Random(seed);
  for (let i = 0; i < count; i++) {
    const [format, base] = SEEDS[i % SEEDS.length]!;
    const text = mutate(random, base);
    report.inputs[format] = (report.inputs[format] ?? 0) + 1;
    const started = performance.now();
    try {
      parseConfigText(text, format, { file: `fuzz-${i}.${format}` });
    } catch (error) {
      if (!(error instanceof ConfigError))
        report.findings.push(finding('crash', format, i, String((error as Error)?.stack ?? error), text));
      else if (error.file === undefined && error.line === undefined && error.path === undefined)
        report.findings.push(finding('unlocated', format, i, error.message, text));
    }
    const ms = performance.now() - started;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > HANG_MS) report.findings.push(finding('hang', format, i, `${Math.round(ms)} ms`, text));
  }
}

function finding(kind: Finding['kind'], input: string, index: number, detail: string, text: string): Finding {
  return { kind, input, index, detail: detail.slice(0, 500), sample: JSON.stringify(text.slice(0, 200)) };
}

/** Raw bytes for one connection: a framed (mutated) command, a push, a broken frame or noise. */
export function frameBytes(random: Random): Buffer {
  const kind = random.int(8);
  if (kind === 0) return Buffer.from(mutate(random, 'hello'), 'utf8');
  if (kind === 1) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(random.pick([0, 1, 0xffffffff, 2 * 1024 * 1024, 1024 * 1024]), 0);
    return Buffer.concat([header, Buffer.from(mutate(random, '{"op":"ping"}'))]);
  }
  if (kind === 2) return encodeFrame(mutate(random, '{"op":"ping"}')).subarray(0, 2 + random.int(10));
  if (kind === 3)
    return encodeFrame(mutate(random, JSON.stringify({ op: 'set', levels: { 'app.fuzz': 'DEBUG' }, ttl: 1000 })));
  if (kind === 4) return encodeFrame(mutate(random, JSON.stringify({ op: 'status' })));
  const [format, base] = random.pick(SEEDS);
  const config = mutate(random, base);
  const cmd = {
    op: 'apply',
    config,
    format: random.int(10) === 0 ? mutate(random, format) : format,
    source: 'fuzz',
    ttl: random.pick([undefined, 1000, -1, 'x']),
  };
  return encodeFrame(random.int(4) === 0 ? mutate(random, JSON.stringify(cmd)) : JSON.stringify(cmd));
}

/** Where a listening process can be reached. */
export type FrameTarget = { path: string } | { port: number; host: string };

/** Sends `bytes` on a fresh connection; resolves with the first reply frame (or null) within `timeoutMs`. */
export function exchange(target: FrameTarget, bytes: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket: Socket = connect(target as never);
    const decoder = new FrameDecoder(4 * 1024 * 1024);
    let greeted = 'port' in target ? false : true;
    const done = (value: Buffer | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      // A TCP endpoint greets first with one line; frames follow it.
      if (!greeted) {
        const end = chunk.indexOf(10);
        if (end < 0) return;
        greeted = true;
        chunk = chunk.subarray(end + 1);
      }
      try {
        const frame = decoder.push(chunk)[0];
        if (frame) done(frame);
      } catch {
        done(null);
      }
    });
  });
}

/** True when the process answers a ping within `timeoutMs`. */
export async function answersPing(target: FrameTarget, timeoutMs = 10_000): Promise<boolean> {
  const reply = await exchange(target, encodeFrame(JSON.stringify({ op: 'ping' })), timeoutMs);
  return reply !== null && /"result":"pong"/.test(reply.toString('utf8'));
}

/**
 * Sends `count` raw inputs to a listening process, a few connections at a time; after every
 * batch the process must answer a ping (else a hang is recorded) and `alive()` must hold.
 */
export async function fuzzFrames(
  seed: number,
  count: number,
  target: FrameTarget,
  alive: () => boolean,
  report: FuzzReport,
  label = 'frames',
): Promise<void> {
  const random = new Random(seed ^ 0x9e3779b9);
  const batch = 8;
  for (let i = 0; i < count; i += batch) {
    const inputs = Array.from({ length: Math.min(batch, count - i) }, () => frameBytes(random));
    await Promise.all(inputs.map((bytes) => exchange(target, bytes, 2000)));
    report.inputs[label] = (report.inputs[label] ?? 0) + inputs.length;
    if (!alive()) {
      report.findings.push(
        finding('crash', label, i, 'the listening process exited', inputs.map((b) => b.toString('latin1')).join(' | ')),
      );
      return;
    }
    if (!(await answersPing(target))) {
      report.findings.push(
        finding(
          'hang',
          label,
          i,
          'no answer to ping within 10 s after this batch',
          inputs.map((b) => b.toString('latin1')).join(' | '),
        ),
      );
      return;
    }
  }
}

/** An empty report for `seed`. */
export function newReport(seed: number): FuzzReport {
  return { seed, inputs: {}, findings: [], slowestMs: 0, durationMs: 0 };
}

/** A listening process to send frames to. */
export interface ListeningProcess {
  unix: FrameTarget;
  legacy: FrameTarget;
  alive: () => boolean;
  stop(): void;
}

/**
 * Starts the control fixture (`test/fixtures/control-child.js`) with a unix socket and a legacy
 * (unauthenticated, Python-compatible) TCP port on `port`, in runtime directory `runtimeDir`.
 */
export async function startListening(
  fixture: string,
  runtimeDir: string,
  port: number,
  allowDir: string,
): Promise<ListeningProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOGDIAL_RUNTIME_DIR: runtimeDir,
    CTL_PORT: String(port),
    CTL_LEGACY: '1',
    CTL_INTERVAL: '1000',
    CTL_ALLOW: allowDir,
    CTL_APP: 'fuzz',
  };
  delete env['LOGDIAL_LISTEN'];
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [fixture], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the listening process did not start within 30 s')), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = /READY (\S+) (\S+)/.exec(out);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
    child.on('exit', () => reject(new Error('the listening process exited before it was ready')));
  });
  return {
    unix: { path: ready },
    legacy: { host: '127.0.0.1', port },
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
