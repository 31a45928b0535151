// `:set app.db=DEBUG` typed in a real terminal (tmux) reaches the program the viewer started:
// app.db's DEBUG lines appear on the screen while app.http stays at INFO, the program reports the
// change, and `:revert` (then quitting) takes it back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { localTargets, sendCommand } from '../../src/control/client.js';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { shellQuote, Terminal } from '../helpers/tmux.js';
import { runtimeDirKilledAfter } from '../helpers/runtime-dir.js';

const program = `${shellQuote(process.execPath)} ${shellQuote(join(compiledFixtures, 'viewer-loggers-app.js'))}`;

/** The effective level of each named logger in the one listening process. */
async function levelsOf(dir: string): Promise<Record<string, string>> {
  const [target] = localTargets({ dir });
  if (!target) return {};
  const reply = await sendCommand(target, { op: 'status' });
  return reply.levels ?? {};
}

test(':set app.db=DEBUG in a real terminal shows app.db DEBUG lines only, until :revert', async (t) => {
  const dir = runtimeDirKilledAfter(t);
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: dir, XDG_STATE_HOME: join(dir, 'state'), NO_COLOR: '1' };
  const view = `${shellQuote(process.execPath)} ${shellQuote(cliEntry)} view`;
  const term = new Terminal(t, `${view} -e ${shellQuote(program)}`, env);
  await term.waitForText(/INFO app\.db pool \d+/);
  assert.ok(!term.screen().some((row) => /DEBUG/.test(row)), 'no DEBUG line before :set');

  term.type(':set app.db=DEBUG');
  term.press('Enter');
  await term.waitForText(/app\.db → DEBUG on 1\/1 process/);
  await term.waitForText(/DEBUG app\.db query \d+/);
  assert.equal((await levelsOf(dir))['app.db'], 'DEBUG');
  // app.http keeps the root's INFO: none of its DEBUG lines arrive, while app.db's keep coming.
  const rows = await term.waitFor(
    (r) => r.filter((row) => /DEBUG app\.db query/.test(row)).length >= 5,
    'several app.db DEBUG lines',
  );
  assert.ok(!rows.some((row) => /DEBUG app\.http/.test(row)), rows.join('\n'));

  term.type(':revert');
  term.press('Enter');
  await term.waitForText(/reverted on 1\/1 process/);
  assert.notEqual((await levelsOf(dir))['app.db'], 'DEBUG');
  await term.waitFor(
    (r) =>
      r.slice(20, 28).every((row) => !/DEBUG/.test(row)) && r.slice(20, 28).some((row) => /INFO app\.db/.test(row)),
    'only INFO lines arriving again',
  );
  term.type('q');
  const { code } = await term.exited();
  assert.equal(code, 143, 'the program was ended by SIGTERM on quit');
});
