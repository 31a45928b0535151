/**
 * `npm run demo` end to end, without a TTY (as in CI): the demo runs the seed's five processes,
 * pushes error.conf, opens a 5 s debug window, stops everything and exits 0. The test reads the
 * demo's output and checks the levels in each phase, the acknowledgement table, and that no
 * process, socket or manifest is left behind (in an isolated runtime directory).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { distRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const demo = join(distRoot, 'examples', 'seed', 'demo.js');

const ANSI = /\x1b\[[0-9;]*m/g;
const SEED_LINE = / - main\.write_logs - (.+?) - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - /;

interface Levels {
  DEBUG: number;
  INFO: number;
  WARNING: number;
  ERROR: number;
  CRITICAL: number;
  processes: Set<string>;
}

function levelsIn(lines: string[]): Levels {
  const levels: Levels = { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0, processes: new Set() };
  for (const line of lines) {
    const m = SEED_LINE.exec(line);
    if (!m) continue;
    levels[m[2] as 'DEBUG']++;
    levels.processes.add(m[1]!);
  }
  return levels;
}

/** Index of the first line (at or after `from`) matching `pattern`; fails the test when absent. */
function indexOf(lines: string[], pattern: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (pattern.test(lines[i]!)) return i;
  assert.fail(`no line matching ${pattern} after line ${from}\n${lines.slice(from).join('\n').slice(-4000)}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

test(
  'npm run demo: info, push error.conf, a debug window that reverts by itself, a clean exit',
  { timeout: 120_000 },
  async (t) => {
    assert.ok(existsSync(demo), `${demo} is built`);
    const runtimeDir = tempDir(t, 'logdial-demo-rt-');
    const env: NodeJS.ProcessEnv = { ...process.env, LOGDIAL_RUNTIME_DIR: runtimeDir, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    delete env['ENV'];
    delete env['LOGDIAL_CONFIG'];
    const result = await run(process.execPath, [demo], { env, timeoutMs: 90_000 });
    const output = result.stdout.replace(ANSI, '');
    const context = `\n--- stdout ---\n${output.slice(-6000)}\n--- stderr ---\n${result.stderr.slice(-3000)}`;
    assert.equal(result.code, 0, `demo exits 0${context}`);
    assert.doesNotMatch(output, /\x1b\[/, 'no colour codes without a TTY');
    const lines = output.split('\n');

    // The processes and their endpoints.
    const listening = indexOf(lines, /^demo: all 5 processes \(pids ([\d, ]+)\) listen/);
    const pids = /\(pids ([\d, ]+)\)/.exec(lines[listening]!)![1]!.split(', ').map(Number);
    assert.equal(pids.length, 5, `five pids${context}`);

    // Phase 1, info.conf: INFO and ERROR from all five processes, no DEBUG.
    const pushCmd = indexOf(lines, /^demo: \$ logdial push .*error\.conf --app seed$/, listening);
    const info = levelsIn(lines.slice(0, pushCmd));
    assert.ok(info.INFO > 0 && info.ERROR > 0, `INFO and ERROR lines before the push${context}`);
    assert.equal(info.DEBUG, 0, `no DEBUG line with info.conf${context}`);
    assert.deepEqual(
      [...info.processes].sort(),
      ['Logging Process #1', 'Logging Process #2', 'Logging Process #3', 'Logging Process #4', 'MainProcess'],
      `all five processes log${context}`,
    );

    // The acknowledgement table of the push: one applied row per process.
    const acked = indexOf(lines, /^demo: all 5 processes acknowledged/, pushCmd);
    const table = lines.slice(pushCmd + 1, acked).filter((l) => !SEED_LINE.test(l));
    for (const pid of pids) {
      assert.ok(
        table.some((l) => new RegExp(`(^|\\s)${pid}\\s`).test(l) && /applied/.test(l)),
        `pid ${pid} acknowledged the push${context}`,
      );
    }

    // Phase 2, error.conf: only ERROR lines until the debug window.
    const setCmd = indexOf(lines, /^demo: \$ logdial set root=DEBUG --for 5s --app seed$/, acked);
    const errorOnly = levelsIn(lines.slice(acked + 1, setCmd));
    assert.ok(errorOnly.ERROR > 0, `ERROR lines after the push${context}`);
    assert.equal(errorOnly.INFO + errorOnly.DEBUG + errorOnly.WARNING, 0, `only ERROR lines after the push${context}`);

    // Phase 3, root=DEBUG for 5 s: DEBUG lines appear.
    const over = indexOf(lines, /^demo: the 5 s are up/, setCmd);
    const debug = levelsIn(lines.slice(setCmd + 1, over));
    assert.ok(debug.DEBUG > 0, `DEBUG lines during the debug window${context}`);

    // Phase 4, reverted by itself: only ERROR lines, no DEBUG.
    const stopping = indexOf(lines, /^demo: stopping the 5 processes/, over);
    const after = levelsIn(lines.slice(over + 1, stopping));
    assert.ok(after.ERROR > 0, `ERROR lines after the window${context}`);
    assert.equal(after.DEBUG + after.INFO, 0, `no DEBUG (or INFO) line after the window${context}`);

    indexOf(lines, /^demo: done: no process left running/, stopping);

    // Nothing left behind.
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
    assert.deepEqual(readdirSync(runtimeDir), [], 'no socket or manifest left in the runtime directory');
  },
);
