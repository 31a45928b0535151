// `logdial view` driven in a real terminal (tmux): keys typed as a user types them, the screen read
// back as the user sees it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pidAlive } from '../../src/control/discovery.js';
import { cliEntry } from '../helpers/paths.js';
import { shellQuote, Terminal } from '../helpers/tmux.js';
import { tempDir } from '../helpers/tmp.js';

const view = `${shellQuote(process.execPath)} ${shellQuote(cliEntry)} view`;

function envFor(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOGDIAL_RUNTIME_DIR: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    NO_COLOR: '1',
  };
}

/** The status line (the last non-empty row while the viewer runs). */
function status(rows: string[]): string {
  return rows.filter((r) => r.trim()).at(-1) ?? '';
}

test('standard input gets a screen with keys from the terminal: include and exclude filters, an invalid regex shown, pasted keys each handled, nothing left on the shell after q', async (t) => {
  const dir = tempDir(t);
  const term = new Terminal(t, `seq 1 2000 | ${view}`, envFor(dir));
  await term.waitForText('2000/2000 lines');
  assert.match(status(term.screen()), /No filter applied/);
  term.type('/Process #[2\r');
  let rows = await term.waitForText('invalid regular expression');
  assert.match(status(rows), /No filter applied/);
  term.type('/1$\r\\00\r');
  rows = await term.waitForText('199/2000 lines');
  assert.match(status(rows), /\+\/1\$\/ -\/00\//);
  assert.equal(rows[28]?.trim(), '1991');
  assert.ok(!rows.some((r) => r.trim() === '1001'));
  term.type('pq');
  const { code, rows: after } = await term.exited();
  assert.equal(code, 0);
  assert.equal(after[0], 'BEFORE');
  assert.ok(!after.join('\n').includes('1991'), 'the viewer left its screen behind:\n' + after.join('\n'));
  const history = JSON.parse(readFileSync(join(dir, 'state', 'logdial', 'view-history.json'), 'utf8')) as {
    filter: string[];
  };
  assert.deepEqual(history.filter, ['Process #[2', '1$', '00']);
});

test('a command runs in a pseudo-terminal: a pipeline shows lines as they come, each tagged with its stream; q stops it and the exit code is its own', async (t) => {
  const dir = tempDir(t);
  const program =
    'i=0; while [ $i -lt 100000 ]; do echo tick$i; echo oops$i >&2; i=$((i+1)); sleep 0.1; done | grep tick';
  const term = new Terminal(t, `${view} -e ${shellQuote(program)}`, envFor(dir));
  const rows = await term.waitForText(/out│tick3\b/);
  assert.match(rows.join('\n'), /err│oops\d/);
  term.type('s');
  await term.waitForText('stdout only');
  await term.waitFor((r) => !r.join('\n').includes('oops'), 'stderr lines hidden');
  term.type('q');
  const { code } = await term.exited();
  assert.equal(code, 143, 'SIGTERM from the viewer: 128 + 15');
});

test('the exit code of a program killed by a signal is 128 + the signal number', async (t) => {
  const dir = tempDir(t);
  const term = new Terminal(t, `${view} -e 'echo started; kill -9 $$'`, envFor(dir));
  await term.waitForText('exited with code 137');
  term.type('q');
  assert.equal((await term.exited()).code, 137);
});

test('SIGTERM to the viewer ends it and its program and gives the terminal back', async (t) => {
  const dir = tempDir(t);
  const viewerPid = join(dir, 'viewer.pid');
  const programPid = join(dir, 'program.pid');
  const term = new Terminal(
    t,
    `sh -c 'echo $$ > ${viewerPid}; exec ${view} -e "echo \\$\\$ > ${programPid}; echo ready; exec sleep 300"'`,
    envFor(dir),
  );
  await term.waitForText('1/1 lines');
  const program = Number(readFileSync(programPid, 'utf8'));
  assert.ok(pidAlive(program));
  process.kill(Number(readFileSync(viewerPid, 'utf8')), 'SIGTERM');
  const { code, rows } = await term.exited();
  assert.equal(code, 143);
  assert.ok(!rows.join('\n').includes('lines'), rows.join('\n'));
  const end = Date.now() + 10000;
  while (pidAlive(program) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!pidAlive(program), 'the program outlived the viewer');
});

test('wide characters, combining marks and long lines keep the layout: cut or wrapped by display columns, scrolled sideways', async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'wide.txt');
  writeFileSync(
    input,
    ['日'.repeat(100), '😀'.repeat(100), 'e\u0301'.repeat(100), 'L' + 'x'.repeat(9998) + 'R', 'end'].join('\n') + '\n',
  );
  const term = new Terminal(t, `${view} ${input}`, envFor(dir), 80, 24);
  let rows = await term.waitForText('5/5 lines');
  assert.equal(rows[0], '日'.repeat(40));
  assert.equal(rows[1], '😀'.repeat(40));
  assert.equal(rows[2]?.normalize('NFC'), 'é'.repeat(80));
  assert.equal(rows[3], 'L' + 'x'.repeat(79));
  assert.equal(rows[4], 'end');
  assert.match(rows[23] ?? '', /5\/5 lines/);
  term.press('Right');
  rows = await term.waitFor((r) => r[0] === '日'.repeat(40) && r[3] === 'x'.repeat(80), 'scrolled 40 columns');
  term.type('Wg');
  rows = await term.waitFor((r) => r.filter((row) => row === 'x'.repeat(80)).length >= 5, 'the long line wrapped');
  const wide = [
    '日'.repeat(40),
    '日'.repeat(40),
    '日'.repeat(20),
    '😀'.repeat(40),
    '😀'.repeat(40),
    '😀'.repeat(20),
    'é'.repeat(80),
    'é'.repeat(20),
    'L' + 'x'.repeat(79),
  ];
  assert.deepEqual(
    rows.slice(0, 9).map((r) => r.normalize('NFC')),
    wide,
  );
  term.type('q');
  assert.equal((await term.exited()).code, 0);
});

test('scroll-back stays in place while lines arrive; pause freezes the view; End follows again', async (t) => {
  const dir = tempDir(t);
  const term = new Terminal(t, `${view} -e 'i=0; while :; do echo line$i; i=$((i+1)); done'`, envFor(dir));
  const count = (rows: string[]) => Number(/(\d+)\/\d+ lines/.exec(status(rows))?.[1] ?? 0);
  await term.waitFor((r) => count(r) > 2000, 'many lines');
  term.press('PPage');
  let rows = await term.waitForText(/line \d+\/\d+/);
  const body = rows.slice(0, 28).join('\n');
  const seen = count(rows);
  rows = await term.waitFor((r) => count(r) > seen + 1000, 'more lines arriving');
  assert.equal(rows.slice(0, 28).join('\n'), body, 'scrolled-back view moved');
  term.press('Up');
  rows = await term.waitFor((r) => r.slice(0, 28).join('\n') !== body, 'one line up');
  assert.equal(rows[1], body.split('\n')[0]);
  term.press('End');
  await term.waitFor((r) => !/line \d+\/\d+/.test(status(r)), 'following again');
  term.type('p');
  rows = await term.waitForText('PAUSED');
  const frozen = rows.slice(0, 28).join('\n');
  const atPause = count(rows);
  rows = await term.waitFor((r) => count(r) > atPause + 1000, 'more lines while paused');
  assert.equal(rows.slice(0, 28).join('\n'), frozen, 'paused view moved');
  term.type('q');
  await term.exited();
});

test('search moves between matches with n and N apart from filtering', async (t) => {
  const dir = tempDir(t);
  const term = new Terminal(t, `seq 1 500 | ${view}`, envFor(dir));
  await term.waitForText('500/500 lines');
  term.type('f^25\r');
  let rows = await term.waitForText('find /^25/');
  assert.equal(rows[0], '259');
  term.type('N');
  rows = await term.waitFor((r) => r[0] === '258', 'previous match at the top');
  term.type('n');
  rows = await term.waitFor((r) => r[0] === '259', 'next match at the top');
  assert.match(status(rows), /500\/500 lines/);
  term.type('q');
  await term.exited();
});

test('highlight, case toggle, level filter, export of the shown lines, help that fits a narrow terminal, and resize', async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'app.log');
  writeFileSync(
    input,
    ['DEBUG db query', 'INFO Db connected', 'WARNING db slow', 'ERROR http down', 'INFO http ok'].join('\n') + '\n',
  );
  const term = new Terminal(t, `${view} ${input}`, envFor(dir), 60, 20);
  await term.waitForText('5/5 lines');
  term.type('/db\r');
  await term.waitForText('3/5 lines');
  term.type('C');
  await term.waitForText(/2\/5 lines.*case-sensitive|case-sensitive.*2\/5 lines/);
  term.type('C\x1bLLL');
  let rows = await term.waitForText('level≥WARNING');
  assert.deepEqual(rows.slice(0, 2), ['WARNING db slow', 'ERROR http down']);
  const out = join(dir, 'shown.txt');
  term.type(`:export ${out}\r`);
  await term.waitForText('2 lines written');
  assert.equal(readFileSync(out, 'utf8'), 'WARNING db slow\nERROR http down\n');
  term.type('hhttp\r');
  await term.waitForText('highlight /http/');
  assert.match(term.tmuxScreenWithColours()[1] ?? '', /\x1b\[[0-9;]*43m[^\x1b]*http/);
  term.type(':nope\r');
  await term.waitForText('unknown command :nope');
  term.type('?');
  rows = await term.waitForText('Filters:');
  for (const row of rows) assert.ok([...row].length <= 60, `help row wider than the terminal: ${row}`);
  term.type(' ');
  term.resize(100, 12);
  rows = await term.waitFor((r) => /level≥WARNING/.test(r[11] ?? ''), 'the status line on the last row after resize');
  term.type('q');
  assert.equal((await term.exited()).code, 0);
});

test('JSON lines are shown readable; the analytics panel counts levels, loggers and processes, and :agg sums a field', async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'app.ndjson');
  const lines = [
    { level: 30, time: Date.UTC(2026, 11, 1, 12), pid: 7, name: 'app.http', msg: 'GET /', ms: 10 },
    { level: 40, time: Date.UTC(2026, 11, 1, 12), pid: 7, name: 'app.db', msg: 'slow', ms: 40 },
    { level: 40, time: Date.UTC(2026, 11, 1, 12), pid: 8, name: 'app.db', msg: 'slow', ms: 10 },
  ];
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const term = new Terminal(t, `${view} ${input}`, envFor(dir));
  let rows = await term.waitForText('3/3 lines');
  assert.equal(rows[0], '2026-12-01T12:00:00.000Z INFO app.http: GET / ms=10');
  term.type('a');
  rows = await term.waitForText(/levels\s+WARN 2 {2}INFO 1/);
  assert.match(rows.join('\n'), /loggers\s+app\.db 2 {2}app\.http 1/);
  assert.match(rows.join('\n'), /process\s+7 2 {2}8 1/);
  term.type(':agg ms\r');
  await term.waitForText('count 3  sum 60  mean 20  mode 10');
  term.type('=level>=warn\r');
  await term.waitForText('where level>=warn');
  term.type(':agg ms\r');
  await term.waitForText('count 2  sum 50  mean 25');
  term.type('q');
  await term.exited();
});

test('a session saved with :save reopens with its source, filters and highlight', async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'app.log');
  writeFileSync(input, ['INFO db up', 'ERROR db down', 'ERROR http down'].join('\n') + '\n');
  const first = new Terminal(t, `${view} ${input}`, envFor(dir));
  await first.waitForText('3/3 lines');
  first.type('/ERROR\r\\http\rhdown\r:save triage\r');
  await first.waitForText('session saved');
  first.type('q');
  await first.exited();
  const saved = JSON.parse(readFileSync(join(dir, 'config', 'logdial', 'sessions', 'triage.json'), 'utf8')) as Record<
    'files' | 'include' | 'exclude' | 'highlight',
    unknown
  >;
  assert.deepEqual(
    [saved.files, saved.include, saved.exclude, saved.highlight],
    [[input], ['ERROR'], ['http'], 'down'],
  );
  const second = new Terminal(t, `${view} --session triage`, envFor(dir));
  const rows = await second.waitForText('1/3 lines');
  assert.match(status(rows), /\+\/ERROR\/ -\/http\/.*highlight \/down\//);
  assert.equal(rows[0], 'ERROR db down');
  second.type('q');
  await second.exited();
});

test("prompt history is recalled with Up in the next run; Home, PgDn and PgUp move by line and page; :goto finds a time in yesterday's log", async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'old.log');
  // 200 lines ten seconds apart from 2026-11-30 12:00:00 (Python's asctime), and a traceback line without a time.
  const clock = (i: number) =>
    `2026-11-30 12:${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')},000`;
  const lines = Array.from({ length: 200 }, (_, i) => `${clock(i)} - INFO - line ${i}`);
  lines.splice(121, 0, '  File "app.py", line 7, in handler');
  writeFileSync(input, lines.join('\n') + '\n');
  const first = new Terminal(t, `${view} ${input}`, envFor(dir), 80, 12);
  await first.waitForText('201/201 lines');
  first.type('/INFO|File\r');
  await first.waitForText('+/INFO|File/');
  first.type('q');
  await first.exited();

  const second = new Terminal(t, `${view} ${input}`, envFor(dir), 80, 12);
  await second.waitForText('201/201 lines');
  second.type('/');
  second.press('Up');
  await second.waitForText('include /INFO|File');
  second.press('Enter');
  await second.waitForText(/\+\/INFO\|File\/ .*201\/201 lines/);
  const top = (i: number) => (rows: string[]) => rows[0] === `${clock(i)} - INFO - line ${i}`;
  second.press('Home');
  await second.waitFor(top(0), 'the oldest line at the top');
  second.press('NPage');
  await second.waitFor(top(10), 'one page down (the body is 11 rows)');
  second.press('PPage');
  await second.waitFor(top(0), 'one page up');
  second.press('End');
  second.type(':goto 12:20\r');
  let rows = await second.waitFor(top(120), 'the line written at 12:20 on that day');
  assert.equal(rows[1], '  File "app.py", line 7, in handler');
  second.type(':goto 2026-11-30T12:05:00\r');
  rows = await second.waitFor(top(30), 'the line written at an ISO date-time');
  assert.match(status(rows), /line 31\/201/);
  second.type('q');
  assert.equal((await second.exited()).code, 0);
});

test('on a terminal with nothing to view, a usage error says what to give', async (t) => {
  const dir = tempDir(t);
  const term = new Terminal(t, view, envFor(dir));
  const { code, rows } = await term.exited();
  assert.equal(code, 2);
  assert.match(rows.join('\n'), /nothing to view: give -e COMMAND, a FILE, or pipe into it/);
});

test('two commands on one screen, each line tagged with its source and stream; --max-memory drops the oldest lines and says so; Down moves one line; :history lists and forgets the prompt history', async (t) => {
  const dir = tempDir(t);
  const go = join(dir, 'go');
  // The second command speaks once the first has ended, so its line is not among those dropped.
  const later = `while [ ! -f ${go} ]; do sleep 0.05; done; echo other; exec sleep 300`;
  const term = new Terminal(t, `${view} --max-memory 1M -e 'seq 1 100000' -e ${shellQuote(later)}`, envFor(dir));
  await term.waitForText(/\d+ oldest dropped \(--max-memory\).*exited with code 0/);
  writeFileSync(go, '');
  term.type('/other\r');
  await term.waitFor((r) => r[0] === 'while [ ! -f:out│other', 'the second command tagged (its first 12 characters)');
  term.type('\x1b');
  await term.waitForText('No filter applied');
  term.type('/^99999$\r');
  await term.waitFor((r) => r[0] === 'seq 1 100000:out│99999', 'the first command tagged');
  term.press('Escape');
  await term.waitForText('No filter applied');
  term.press('Home');
  let rows = await term.waitForText(/line 1\/\d+/);
  assert.notEqual(rows[0], 'seq 1 100000:out│1', 'the oldest lines were dropped');
  const second = rows[1];
  term.press('Down');
  await term.waitFor((r) => r[0] === second, 'one line down');
  term.type(':history\r');
  rows = await term.waitForText(/filter: {2}\^99999\$ +other/);
  assert.match(rows.join('\n'), /command: {2}history/);
  term.type(' :history clear\r');
  await term.waitForText('prompt history cleared');
  assert.equal(readFileSync(join(dir, 'state', 'logdial', 'view-history.json'), 'utf8'), '{}');
  term.type('q');
  await term.exited();
});
