/**
 * `npm run demo` (and `logdial demo`): the seed article, live, in about 20 seconds.
 *
 * 1. Starts `main.js`: a main process and four children (`Logging Process #1`…`#4`) logging with
 *    info.conf, their output streaming through (the seed's colours on a terminal, plain otherwise).
 * 2. `logdial push error.conf --app seed`: every process acknowledges; only ERROR lines follow.
 * 3. `logdial set root=DEBUG --for 5s --app seed`: DEBUG lines appear, then stop by themselves.
 * 4. Stops the five processes, checks that none is left and that their sockets and manifests are
 *    gone, checks what the output showed in each phase, and exits 0 (1 if anything was off).
 *
 * The commands are run with the real `logdial` CLI of this build, exactly as a user would type
 * them. Unless `LOGDIAL_RUNTIME_DIR` is set, the demo uses a private runtime directory of its own,
 * so it never touches other processes of yours named `seed`, and removes it at the end.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover, pidAlive } from '../../src/control/discovery.js';
import { findConfigDir } from './lib/config-dir.js';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, 'main.js');
const CLI = resolve(here, '..', '..', 'src', 'cli', 'run.js');
const CONFIG_DIR = findConfigDir();
const ERROR_CONF = join(CONFIG_DIR, 'error.conf');
const PROCESSES = 5;
/** How long each phase lasts (ms); `DEMO_SPEED=2` halves them. */
const SPEED = Math.max(0.25, Number(process.env['DEMO_SPEED'] ?? 1) || 1);
const INFO_PHASE = 5000 / SPEED;
const ERROR_PHASE = 4000 / SPEED;
const DEBUG_TTL_S = 5;
const AFTER_PHASE = 3000 / SPEED;
/** Time for lines logged just before a change to arrive (see `settle`). */
const SETTLE = 500;

const out = process.stdout;
const color = Boolean(out.isTTY) && !process.env['NO_COLOR'] && process.env['FORCE_COLOR'] !== '0';
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** One narration line, marked `demo:` so it stands apart from the processes' own lines. */
function say(text: string): void {
  out.write(`${paint('1;36', 'demo:')} ${paint('1', text)}\n`);
}
/** A command as the user would type it. */
function showCommand(args: string[]): void {
  out.write(`${paint('1;36', 'demo:')} ${paint('1;33', `$ logdial ${args.join(' ')}`)}\n`);
}

// -----------------------------------------------------------------------------------------------
// runtime directory

const ownRuntimeDir = !process.env['LOGDIAL_RUNTIME_DIR'];
const runtimeDirectory = process.env['LOGDIAL_RUNTIME_DIR'] ?? mkdtempSync(join(tmpdir(), 'logdial-demo-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOGDIAL_RUNTIME_DIR: runtimeDirectory };
delete env['LOGDIAL_PROCESS_NAME'];
delete env['LOGDIAL_CONFIG'];
delete env['LOGDIAL_LISTEN'];
delete env['LOGDIAL_BUS'];

// -----------------------------------------------------------------------------------------------
// the processes' output: forwarded line by line, and counted per phase

type Phase = 'start' | 'info' | 'error' | 'debug' | 'after' | 'settling';
type LevelName = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
type Counts = Record<LevelName, number> & { processes: Set<string> };
const newCounts = (): Counts => ({ DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0, processes: new Set() });
const counts: Record<Phase, Counts> = {
  start: newCounts(),
  info: newCounts(),
  error: newCounts(),
  debug: newCounts(),
  after: newCounts(),
  settling: newCounts(),
};
let phase: Phase = 'start';

const ANSI = /\x1b\[[0-9;]*m/g;
/** `… - main.write_logs - Logging Process #2 - ERROR - …`, the seed's format without colour. */
const SEED_LINE = / - main\.write_logs - (.+?) - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - /;

function onLine(line: string): void {
  out.write(line + '\n');
  const match = SEED_LINE.exec(line.replace(ANSI, ''));
  if (!match) return;
  const bucket = counts[phase];
  bucket[match[2] as LevelName]++;
  bucket.processes.add(match[1]!);
}

function lineReader(stream: NodeJS.ReadableStream | null): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/**
 * Lines logged just before a change can reach us just after its acknowledgement: let them pass
 * (uncounted) before the next phase's marker line.
 */
async function settle(ms = SETTLE): Promise<void> {
  phase = 'settling';
  await sleep(ms);
}

// -----------------------------------------------------------------------------------------------
// helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | null | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Runs the logdial CLI; its output is shown in one piece (so log lines do not cut the table). */
function logdial(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  showCommand(args);
  return new Promise((resolvePromise, reject) => {
    const cli = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cli.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    cli.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => cli.kill('SIGKILL'), 30000);
    cli.on('error', reject);
    cli.on('close', (code) => {
      clearTimeout(timer);
      out.write(stdout + (stdout && !stdout.endsWith('\n') ? '\n' : ''));
      if (stderr) process.stderr.write(stderr);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Checks that every one of our processes appears in the table with the expected result. */
function checkAcks(what: string, result: { code: number | null; stdout: string }, pids: number[], word: RegExp): void {
  if (result.code !== 0) throw new Error(`${what}: logdial exited with ${result.code}`);
  const lines = result.stdout.split('\n');
  const missing = pids.filter((pid) => !lines.some((l) => new RegExp(`(^|\\s)${pid}(\\s|$)`).test(l) && word.test(l)));
  if (missing.length) throw new Error(`${what}: no acknowledgement from pid ${missing.join(', ')}`);
}

// -----------------------------------------------------------------------------------------------
// the processes

let main: ChildProcess | null = null;
let pids: number[] = [];

/** Signals the whole process group (main and its four children); each process gets it once. */
function killTree(signal: NodeJS.Signals): void {
  if (main?.pid === undefined) return;
  try {
    process.kill(-main.pid, signal);
    return;
  } catch {
    // the group is gone (main exited): signal any child that outlived it
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stops everything we started and checks that nothing is left. Returns the problems found. */
let stopped = false;
async function stopAll(): Promise<string[]> {
  const problems: string[] = [];
  if (!main || stopped) return problems;
  stopped = true;
  killTree('SIGTERM');
  const gone = () => pids.every((pid) => !pidAlive(pid)) && (main!.exitCode !== null || main!.signalCode !== null);
  try {
    await until('the processes to exit after SIGTERM', 8000, gone);
  } catch {
    problems.push('some processes did not exit within 8 s of SIGTERM; killed them');
    killTree('SIGKILL');
    await until('the processes to exit after SIGKILL', 5000, gone).catch(() =>
      problems.push(`still running: ${pids.filter(pidAlive).join(', ')}`),
    );
  }
  // The runtime directory, as the processes left it (read before anything cleans it).
  let leftovers: string[] = [];
  try {
    leftovers = readdirSync(runtimeDirectory).filter((name) =>
      pids.some(
        (pid) =>
          name === `${pid}.sock` || name === `${pid}.json` || name.startsWith(`${pid}-`) || name.includes(`.${pid}.`),
      ),
    );
  } catch {
    // no directory: nothing left
  }
  if (leftovers.length) problems.push(`left in ${runtimeDirectory}: ${leftovers.join(', ')}`);
  if (ownRuntimeDir) {
    try {
      rmdirSync(runtimeDirectory);
    } catch (error) {
      problems.push(`could not remove ${runtimeDirectory}: ${(error as Error).message}`);
    }
  }
  return problems;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    out.write('\n');
    say(`${signal}: stopping the seed processes…`);
    void stopAll().then((problems) => {
      for (const p of problems) process.stderr.write(`demo: ${p}\n`);
      process.exit(130);
    });
  });
}

async function run(): Promise<string[]> {
  const problems: string[] = [];
  // As the user would type it from here: relative inside the current directory, else absolute.
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  say('logdial replays the seed article: a main process and 4 children share one output, each logging');
  say('an ERROR, an INFO and a DEBUG line every second, configured by logger_config/info.conf (ENV=dev).');

  const childEnv: NodeJS.ProcessEnv = { ...env, ENV: 'dev' };
  if (color) {
    childEnv['FORCE_COLOR'] = '1';
    delete childEnv['NO_COLOR'];
  }
  main = fork(MAIN, [], {
    env: childEnv,
    // Caller fields (`main.write_logs`) looked up once per call site; main.js's children inherit it.
    execArgv: [...process.execArgv, '--import', new URL('../../src/callsites/register.js', import.meta.url).href],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true, // its own process group, so the demo can stop the whole tree at once
  });
  lineReader(main.stdout);
  lineReader(main.stderr);
  main.on('exit', (code, signal) => {
    if (!stopped) process.stderr.write(`demo: main.js exited early (${signal ?? code})\n`);
  });
  pids = await new Promise<number[]>((resolvePids, reject) => {
    const timer = setTimeout(() => reject(new Error('main.js did not start its children within 20 s')), 20000);
    main!.on('message', (message: { seed?: string; pids?: number[] }) => {
      if (message?.seed === 'started' && Array.isArray(message.pids)) {
        clearTimeout(timer);
        resolvePids(message.pids);
      }
    });
    main!.once('exit', () => reject(new Error('main.js exited before starting its children')));
  });
  // No race and no guessing: each process's socket appears in the runtime directory when it is ready.
  await until(
    `${PROCESSES} control endpoints`,
    20000,
    () => discover({ dir: runtimeDirectory, pid: pids }).length === PROCESSES,
  );
  phase = 'info';
  say(`all ${PROCESSES} processes (pids ${pids.join(', ')}) listen for changes, each on its own Unix socket: no ports`);
  const ls = await logdial(['ls', '--app', 'seed']);
  checkAcks('ls', ls, pids, /seed/);
  await sleep(INFO_PHASE);

  say('the stream above has INFO lines. Now push error.conf to every process of the app, live:');
  phase = 'settling'; // lines logged while the push is on its way belong to no phase
  const push = await logdial(['push', rel(ERROR_CONF), '--app', 'seed']);
  checkAcks('push', push, pids, /applied/);
  await settle();
  phase = 'error';
  say(`all ${PROCESSES} processes acknowledged: from here on, only ERROR lines`);
  await sleep(ERROR_PHASE);

  say(`now turn DEBUG on for ${DEBUG_TTL_S} seconds; nobody needs to turn it off again:`);
  phase = 'debug'; // processes switch while the command runs: their DEBUG lines count from here
  const set = await logdial(['set', 'root=DEBUG', '--for', `${DEBUG_TTL_S}s`, '--app', 'seed']);
  const setAt = Date.now();
  checkAcks('set', set, pids, /applied/);
  await sleep(Math.max(0, setAt + DEBUG_TTL_S * 1000 - Date.now()));
  await settle(2 * SETTLE);
  phase = 'after';
  say(`the ${DEBUG_TTL_S} s are up: every process went back to error.conf by itself; only ERROR lines again`);
  await sleep(AFTER_PHASE);

  phase = 'settling';
  say(`stopping the ${PROCESSES} processes…`);
  problems.push(...(await stopAll()));

  // What the output showed, phase by phase.
  const c = counts;
  const expect = (ok: boolean, text: string) => {
    if (!ok) problems.push(text);
  };
  expect(
    c.info.INFO > 0 && c.info.ERROR > 0 && c.info.DEBUG === 0,
    `with info.conf expected INFO and ERROR lines and no DEBUG, saw ${describe(c.info)}`,
  );
  expect(
    c.info.processes.size === PROCESSES,
    `with info.conf expected lines from ${PROCESSES} processes, saw ${c.info.processes.size}`,
  );
  expect(
    c.error.ERROR > 0 && c.error.INFO === 0 && c.error.DEBUG === 0,
    `after the push expected only ERROR lines, saw ${describe(c.error)}`,
  );
  expect(c.debug.DEBUG > 0, `during the debug window expected DEBUG lines, saw ${describe(c.debug)}`);
  expect(
    c.after.ERROR > 0 && c.after.INFO === 0 && c.after.DEBUG === 0,
    `after the debug window expected only ERROR lines, saw ${describe(c.after)}`,
  );
  say(
    `seen — with info.conf: ${describe(c.info)}; after the push: ${describe(c.error)}; ` +
      `debug window: ${describe(c.debug)}; after it: ${describe(c.after)}`,
  );
  return problems;
}

function describe(c: Counts): string {
  return `${c.ERROR} ERROR, ${c.INFO} INFO, ${c.DEBUG} DEBUG`;
}

let problems: string[];
try {
  problems = await run();
} catch (error) {
  problems = [(error as Error).message];
  problems.push(...(await stopAll()));
}
if (problems.length === 0) {
  say(
    `done: no process left running, no socket or manifest left in ${ownRuntimeDir ? 'the runtime directory (removed)' : runtimeDirectory}`,
  );
  process.exitCode = 0;
} else {
  for (const p of problems) process.stderr.write(`demo: FAILED: ${p}\n`);
  process.exitCode = 1;
}
