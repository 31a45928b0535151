// The viewer's level keys on the seed example, in a real terminal: they reach exactly the processes
// the viewer started, and every change is temporary — reverted by `r`, on quit, and by itself
// when the viewer is killed.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localTargets, sendCommand } from '../../src/control/client.js';
import { discover } from '../../src/control/discovery.js';
import { cliEntry, distRoot } from '../helpers/paths.js';
import { startChild } from '../helpers/proc.js';
import { shellQuote, Terminal } from '../helpers/tmux.js';
import { runtimeDirKilledAfter } from '../helpers/runtime-dir.js';

const seed = join(distRoot, 'examples', 'seed', 'main.js');
const view = `${shellQuote(process.execPath)} ${shellQuote(cliEntry)} view`;

function envFor(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOGDIAL_RUNTIME_DIR: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    NO_COLOR: '1',
    SEED_INTERVAL_MS: '100',
    ENV: '',
    NODE_ENV: '',
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Root level of each listed seed process, by pid. */
async function rootLevels(dir: string, pids: number[]): Promise<Map<number, string>> {
  const levels = new Map<number, string>();
  for (const target of localTargets({ dir, pid: pids })) {
    const reply = await sendCommand(target, { op: 'status' });
    levels.set(target.manifest.pid, reply.levels?.['root'] ?? '?');
  }
  return levels;
}

test('the level keys work on the seed example out of the box and reach only the processes the viewer started', async (t) => {
  const dir = runtimeDirKilledAfter(t);
  const env = envFor(dir);
  const outside = startChild(t, process.execPath, [seed], { env });
  await until('the outside seed', () => (discover({ dir }).length === 5 ? true : undefined));
  const outsidePids = discover({ dir }).map((m) => m.pid);
  assert.ok(outsidePids.includes(outside.proc.pid!));
  const term = new Terminal(t, `${view} -e ${shellQuote(`${shellQuote(process.execPath)} ${shellQuote(seed)}`)}`, env);
  await until('the viewed seed', () => (discover({ dir }).length === 10 ? true : undefined));
  await term.waitForText('Hey, something happened');
  term.type('e');
  await term.waitForText('root → ERROR on 5/5 processes');
  const outsideLevels = await rootLevels(dir, outsidePids);
  assert.deepEqual([...outsideLevels.values()], ['DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG']);
  const insidePids = discover({ dir })
    .map((m) => m.pid)
    .filter((pid) => !outsidePids.includes(pid));
  assert.deepEqual([...(await rootLevels(dir, insidePids)).values()], ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR']);
  await term.waitFor((rows) => rows.slice(18, 28).every((r) => /ERROR|logdial:/.test(r)), 'only ERROR lines arriving');
  term.type('r');
  await term.waitForText('reverted on 5/5 processes');
  await term.waitFor((rows) => rows.slice(24, 29).some((r) => /Hey, something happened/.test(r)), 'INFO lines again');
  assert.deepEqual([...(await rootLevels(dir, insidePids)).values()], ['DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG']);
  term.type('q');
  await term.exited();
});

test('level changes are temporary: reverted on quit, and by themselves when the viewer is killed', async (t) => {
  const dir = runtimeDirKilledAfter(t);
  const env = envFor(dir);
  const log = join(dir, 'seed.log');
  // The seed in a session of its own, so it outlives a killed viewer (as a daemonizing program would).
  const program = join(dir, 'program.sh');
  writeFileSync(
    program,
    `setsid ${shellQuote(process.execPath)} ${shellQuote(seed)} >> ${shellQuote(log)} 2>&1 &\necho started\nwait\n`,
  );
  const first = new Terminal(t, `${view} --level-ttl 2s -e ${shellQuote(`sh ${program}`)}`, env);
  await until('the viewed seed', () => (discover({ dir }).length === 5 ? true : undefined));
  first.type('w');
  await first.waitForText('root → WARNING on 5/5 processes');
  first.type('q');
  await first.exited();
  assert.match(readFileSync(log, 'utf8'), /logdial: reverted set root=WARNING/);

  await until('the first seed gone', () => (discover({ dir }).length === 0 ? true : undefined));
  const viewerPid = join(dir, 'viewer.pid');
  const second = new Terminal(
    t,
    `sh -c ${shellQuote(`echo $$ > ${viewerPid}; exec ${view} --level-ttl 2s -e ${shellQuote(`sh ${program}`)}`)}`,
    env,
  );
  await until('the viewed seed', () => (discover({ dir }).length === 5 ? true : undefined));
  const pids = discover({ dir }).map((m) => m.pid);
  second.type('w');
  await second.waitForText('root → WARNING on 5/5 processes');
  process.kill(Number(readFileSync(viewerPid, 'utf8')), 'SIGKILL');
  await second.exited();
  await until('the change expiring by itself', async () => {
    const levels = await rootLevels(dir, pids);
    return levels.size === 5 && [...levels.values()].every((l) => l === 'DEBUG') ? true : undefined;
  });
  assert.match(readFileSync(log, 'utf8'), /set root=WARNING expired; back to the base configuration/);
});
