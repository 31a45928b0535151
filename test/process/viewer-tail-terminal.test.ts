// `logdial tail` and `logdial view --app` in a real terminal (tmux) on a running process (this
// one, listening on its Unix socket): the process's DEBUG records reach the screen while what it
// writes to its own outputs stays unchanged, and the tap goes on Ctrl-C (SIGINT) and on q; :save reopens the tap.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getLogger, Handler, listen, type LogRecord } from '../../src/index.js';
import { DEBUG, INFO } from '../../src/core/levels.js';
import { cliEntry } from '../helpers/paths.js';
import { shellQuote, Terminal } from '../helpers/tmux.js';
import { tempDir } from '../helpers/tmp.js';
import { waitUntil } from '../helpers/wait.js';

class Own extends Handler {
  readonly written: string[] = [];
  emit(record: LogRecord): void {
    this.written.push(`${record.levelname} ${record.getMessage()}`);
  }
}

const cli = `${shellQuote(process.execPath)} ${shellQuote(cliEntry)}`;

test("tail and view --app in a real terminal show a running process's DEBUG records, its own output unchanged; the tap goes on Ctrl-C (SIGINT) and on q; :save reopens the tap", async (t) => {
  const dir = tempDir(t);
  const control = listen({ app: 'tailterm', dir });
  t.after(() => control.close());
  await control.ready;
  const logger = getLogger('tailterm.work');
  logger.setLevel(INFO);
  const own = new Own();
  logger.addHandler(own);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    logger.debug('debug tick %d', n);
    logger.info('info tick %d', n);
  }, 50);
  t.after(() => {
    clearInterval(timer);
    logger.removeHandler(own);
  });
  const env = {
    ...process.env,
    LOGDIAL_RUNTIME_DIR: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    NO_COLOR: '1',
  };

  // Ctrl-C as the terminal sends it, to the tail alone (tmux's own shell would end with it).
  const pidFile = join(dir, 'tail.pid');
  const tail = new Terminal(
    t,
    `sh -c ${shellQuote(`echo $$ > ${pidFile}; exec ${cli} tail --app tailterm --logger tailterm.work --for 1h`)}`,
    env,
  );
  await tail.waitForText(new RegExp(`^${process.pid} \\S+Z DEBUG tailterm\\.work: debug tick \\d+$`, 'm'));
  assert.ok(logger.isEnabledFor(DEBUG), 'tapped');
  process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGINT');
  assert.equal((await tail.exited()).code, 0);
  await waitUntil(() => !logger.isEnabledFor(DEBUG), 10_000, 'the tail tap is gone');

  const view = new Terminal(t, `${cli} view --app tailterm --logger tailterm.work`, env);
  await view.waitForText(/^\S+Z DEBUG tailterm\.work: debug tick \d+$/m);
  view.type('\\info\r');
  const rows = await view.waitForText('-/info/');
  await view.waitFor(
    (r) => r.slice(0, 29).filter((row) => /DEBUG tailterm\.work: debug tick/.test(row)).length >= 5,
    'DEBUG lines only on the screen',
  );
  assert.ok(
    !view
      .screen()
      .slice(0, 29)
      .some((row) => /INFO/.test(row)),
    rows.join('\n'),
  );
  view.type(':save tapped\r');
  await view.waitForText('session saved');
  view.type('q');
  assert.equal((await view.exited()).code, 0);
  await waitUntil(() => !logger.isEnabledFor(DEBUG), 10_000, 'the view tap is gone');

  // The session reopens the tap with its filter.
  const reopened = new Terminal(t, `${cli} view --session tapped`, env);
  await reopened.waitForText(/^\S+Z DEBUG tailterm\.work: debug tick \d+$/m);
  await reopened.waitForText('-/info/');
  reopened.type('q');
  assert.equal((await reopened.exited()).code, 0);
  await waitUntil(() => !logger.isEnabledFor(DEBUG), 10_000, 'the reopened tap is gone');

  assert.ok(own.written.length > 0);
  assert.deepEqual(
    own.written.filter((line) => !line.startsWith('INFO ')),
    [],
    'the process wrote only its own INFO lines',
  );
});
