// `logdial ui` in a real browser (Debian's Chromium through playwright-core): the fleet of real
// processes, a level set for a while that reverts by itself, revert now, a push with a located
// error, the live tail (bounded at 10,000 lines a second), hostile names rendered inert, the audit
// view, and requests without the token refused. Screenshots go to LOGDIAL_UI_SHOTS (or a temp dir).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, cpuMeter, shotsDir, until } from '../helpers/browser.js';
import { cliEntry, compiledFixtures, sourceFixtures } from '../helpers/paths.js';
import { startChild, type Child } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

// Children started inside hooks and tests are all killed when the file's tests end.
const cleanups: Array<() => unknown> = [];
const hooks: Pick<TestContext, 'after'> = { after: (fn) => void cleanups.push(fn as () => unknown) };
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});
const runtime = tempDir(hooks, 'logdial-ui-');
const shots = shotsDir();
const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime };
const HOSTILE_NAME = '<img src=x onerror="window.pwned=3">';
let browser: Browser;
let page: Page;
let url: string;
let base: string;

function app(name: string, extra: Record<string, string> = {}): Child {
  return startChild(hooks, process.execPath, [join(compiledFixtures, 'ui-app.js')], {
    env: { ...env, UI_APP: name, ...extra },
  });
}

async function startAll(): Promise<void> {
  const apps = [
    app('orders', { UI_NAME: 'orders-1' }),
    app('orders', { UI_NAME: 'orders-2' }),
    app('billing', { UI_NAME: HOSTILE_NAME, UI_HOSTILE: '1' }),
  ];
  await Promise.all(apps.map((a) => a.waitFor('READY', 30_000)));
  const ui = startChild(hooks, process.execPath, [cliEntry, 'ui'], { env });
  await ui.waitFor(/logdial ui: http:\/\/\S+/, 30_000);
  url = /logdial ui: (http:\/\/\S+)/.exec(ui.stdout())![1]!;
  base = url.slice(0, url.indexOf('/?'));
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(url);
}

before(startAll, { timeout: 120_000 });
cleanups.push(() => browser?.close());

// Browser-side snippets (the tests compile without DOM types, so they travel as text).
const RESET_STATS = `Object.assign(window.logdialStats, { tailReceived: 0, tailSkipped: 0, maxTailRows: 0, tailBatches: [] })`;
const RECEIVED = `window.logdialStats.tailReceived`;
// How late a 50 ms timer fires while lines arrive: the page's responsiveness.
const LAG_PROBE = `(() => { window.lags = []; let last = performance.now();
  setInterval(() => { const now = performance.now(); window.lags.push(now - last - 50); last = now; }, 50); })()`;
const TAIL_FIGURES = `(() => {
  const s = window.logdialStats;
  const pick = (list, q) => { const sorted = [...list].sort((a, b) => a - b); return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0); };
  return { received: s.tailReceived, skipped: s.tailSkipped, maxRows: s.maxTailRows,
    rowsNow: document.querySelectorAll('#tail-lines div').length, batches: s.tailBatches.length,
    batchP50: pick(s.tailBatches, 0.5), batchP95: pick(s.tailBatches, 0.95), batchMax: pick(s.tailBatches, 1),
    lagP50: pick(window.lags, 0.5), lagP95: pick(window.lags, 0.95), lagMax: pick(window.lags, 1) };
})()`;
interface TailFigures {
  received: number;
  skipped: number;
  maxRows: number;
  rowsNow: number;
  batches: number;
  batchP50: number;
  batchP95: number;
  batchMax: number;
  lagP50: number;
  lagP95: number;
  lagMax: number;
}

const rows = () => page.locator('#fleet-body tr.proc');

async function openProcess(name: string): Promise<void> {
  await page.click('button[data-view="fleet"]');
  await page.locator('#fleet-body tr.proc', { hasText: name }).first().click();
  await page.locator('#loggers-body tr[data-logger="app.work"]').waitFor({ timeout: 20_000 });
}

async function loggerLevel(name: string): Promise<string> {
  return page.locator(`#loggers-body tr[data-logger="${name}"] td`).nth(1).innerText();
}

test('the fleet page lists every running process grouped by app, and follows processes that start and stop', async () => {
  await until('three processes listed', async () => (await rows().count()) === 3);
  const groups = await page.locator('#fleet-body tr.group').allInnerTexts();
  assert.deepEqual(
    groups.map((g) => g.trim()),
    ['billing — 1 process', 'orders — 2 processes'],
  );
  const late = app('orders', { UI_NAME: 'orders-3' });
  await late.waitFor('READY', 30_000);
  await until('the new process listed without a reload', async () => (await rows().count()) === 4);
  late.proc.kill('SIGTERM');
  await until('the stopped process gone', async () => (await rows().count()) === 3);
  await page.screenshot({ path: join(shots, 'fleet.png') });
});

test('a level set for a duration is acknowledged by each process, counts down, and reverts by itself', async () => {
  await openProcess('orders-1');
  assert.equal(await loggerLevel('app.work'), 'NOTSET');
  await page.selectOption('#proc-scope', 'app');
  await page.fill('#proc-for', '5s');
  const workRow = page.locator('#loggers-body tr[data-logger="app.work"]');
  await workRow.locator('select').selectOption('DEBUG');
  await workRow.locator('button.set-level').click();
  await page.locator('#proc-answers', { hasText: '2 acknowledged of 2' }).waitFor({ timeout: 20_000 });
  const answers = await page.locator('#proc-answers').innerText();
  assert.match(answers, /applied for 5s/);
  assert.match(answers, /app\.work=DEBUG/);
  await until('the level shown as DEBUG', async () => (await loggerLevel('app.work')) === 'DEBUG');
  assert.match(await page.locator('#proc-override').innerText(), /set app\.work=DEBUG.*reverts in \d+s/s);
  await page.screenshot({ path: join(shots, 'process.png'), fullPage: true });
  await until(
    'the override gone by itself',
    async () =>
      (await page.locator('#proc-override').innerText()) === '' && (await loggerLevel('app.work')) === 'NOTSET',
    30_000,
  );
  await page.click('button[data-view="fleet"]');
  await until(
    'no override left in the fleet list',
    async () => (await page.locator('#fleet-body').innerText()).includes('set app.work') === false,
  );
});

test('revert now drops a temporary change at once', async () => {
  await openProcess('orders-2');
  await page.selectOption('#proc-scope', 'process');
  await page.fill('#proc-for', '10m');
  const workRow = page.locator('#loggers-body tr[data-logger="app.work"]');
  await workRow.locator('select').selectOption('ERROR');
  await workRow.locator('button.set-level').click();
  await until('the level shown as ERROR', async () => (await loggerLevel('app.work')) === 'ERROR');
  assert.match(await page.locator('#proc-override').innerText(), /reverts in (9m|10m)/);
  await page.click('#proc-revert');
  await page.locator('#proc-answers', { hasText: 'revert: 1 acknowledged of 1' }).waitFor({ timeout: 20_000 });
  assert.match(await page.locator('#proc-answers').innerText(), /reverted/);
  await until('the level back', async () => (await loggerLevel('app.work')) === 'NOTSET');
  assert.equal(await page.locator('#proc-override').innerText(), '');
});

test('a push with a broken config shows the located error at its line and sends nothing', async () => {
  await openProcess('orders-1');
  const broken = readFileSync(join(sourceFixtures, 'control-broken.conf'), 'utf8');
  await page.fill('#push-name', 'broken.conf');
  await page.fill('#push-text', broken);
  await page.click('#push-validate');
  const error = page.locator('#push-result .push-error');
  await error.waitFor({ timeout: 20_000 });
  const message = await error.innerText();
  assert.match(message, /^broken\.conf:\d+: .*nosuchformatter/);
  const line = Number(/:(\d+):/.exec(message)![1]);
  const marked = page.locator('#push-lines li.error');
  assert.equal(await marked.count(), 1);
  assert.equal((await marked.innerText()).trim(), broken.split('\n')[line - 1]!.trim());
  await page.screenshot({ path: join(shots, 'push-error.png'), fullPage: true });
  await page.click('#push-send');
  await page.locator('#push-result .push-error').waitFor();
  const audit = (await (await page.request.get(`${base}/api/audit`)).json()) as { entries: Array<{ what: string }> };
  assert.ok(!audit.entries.some((e) => e.what.startsWith('push')), 'nothing was pushed');
});

test('logger names, process names and messages carrying markup are shown as text and never run', async () => {
  await page.click('button[data-view="fleet"]');
  assert.match(await page.locator('#fleet-body').innerText(), /<img src=x onerror="window\.pwned=3">/);
  await page.locator('#fleet-body tr.proc', { hasText: 'pwned=3' }).first().click();
  const evil = page.locator('#loggers-body tr', { hasText: '<script>' });
  await evil.first().waitFor({ timeout: 20_000 });
  assert.match(await evil.first().innerText(), /evil\.<script>window\.pwned=1<\/script>"><img src=x onerror/);
  await page.click('button[data-view="tail"]');
  await page.selectOption('#tail-scope', 'process');
  await page.fill('#tail-logger', 'root');
  await page.click('#tail-start');
  await page.locator('#tail-lines div', { hasText: 'message <script>' }).first().waitFor({ timeout: 20_000 });
  const count = await page.locator('#tail-lines div').count();
  await until('new lines arriving', async () => (await page.locator('#tail-lines div').count()) > count + 3);
  await page.screenshot({ path: join(shots, 'tail-hostile.png') });
  await page.click('#tail-stop');
  const state = await page.evaluate<unknown>(
    `({ pwned: window.pwned, images: document.querySelectorAll('img').length, scripts: document.querySelectorAll('script').length })`,
  );
  assert.deepEqual(state, { pwned: undefined, images: 0, scripts: 1 });
});

test('the live tail shows new lines and, at 10,000 lines a second, keeps a bounded number of them', async () => {
  const flood = app('flood', { UI_NAME: 'flood-1', UI_RATE: '10000' });
  await flood.waitFor('READY', 30_000);
  await until(
    'the flood process listed',
    async () => (await page.locator('#fleet-body tr.proc', { hasText: 'flood-1' }).count()) === 1,
  );
  await openProcess('flood-1');
  await page.click('button[data-view="tail"]');
  await page.fill('#tail-logger', 'app.flood');
  await page.selectOption('#tail-level', 'INFO');
  await page.fill('#tail-max', '1000');
  await page.evaluate(RESET_STATS);
  await page.click('#tail-start');
  await page.evaluate(LAG_PROBE);
  const cpu = await cpuMeter(page);
  const cpuBefore = await cpu.read();
  const started = Date.now();
  await until('20,000 lines received', async () => (await page.evaluate<number>(RECEIVED)) >= 20_000, 60_000);
  const seconds = (Date.now() - started) / 1000;
  // Share of one core the page's main thread used while the lines arrived.
  const cpuShare = Math.round((((await cpu.read()) - cpuBefore) / seconds) * 100) / 100;
  await cpu.stop();
  const figures = await page.evaluate<TailFigures>(TAIL_FIGURES);
  assert.ok(figures.maxRows <= 1000 && figures.rowsNow <= 1000, JSON.stringify(figures));
  const last = await page.locator('#tail-lines div').last().innerText();
  assert.match(last, /flood line \d+/);
  await page.click('#tail-pause');
  const paused = await page.locator('#tail-lines div').last().innerText();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.locator('#tail-lines div').last().innerText(), paused, 'paused: no new lines shown');
  await page.click('#tail-pause');
  await until(
    'new lines after resume',
    async () => (await page.locator('#tail-lines div').last().innerText()) !== paused,
  );
  await page.screenshot({ path: join(shots, 'tail.png') });
  await page.click('#tail-stop');
  flood.proc.kill('SIGTERM');
  const record = {
    ...figures,
    cpuShare,
    seconds,
    ratePerSecond: Math.round(figures.received / seconds),
    loadavg: loadavg().map((l) => Math.round(l)),
  };
  writeFileSync(join(shots, 'tail-figures.json'), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`# tail figures: ${JSON.stringify(record)}\n`);
});

test('the audit page lists the changes made through the page: who, when, what, expiry, answers', async () => {
  await page.click('button[data-view="audit"]');
  const text = await page.locator('#audit-body').innerText();
  assert.match(text, /set app\.work=DEBUG/);
  assert.match(text, /set app\.work=ERROR/);
  assert.match(text, /revert/);
  assert.match(text, /logdial ui pid \d+/);
  assert.match(text, /applied for 5s/);
  await page.screenshot({ path: join(shots, 'audit.png') });
});

/** A raw request, with exactly the headers given. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const target = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a request without the token is refused, and so are changes from another origin or without the CSRF value', async () => {
  const token = new URL(url).searchParams.get('token')!;
  const host = new URL(base).host;
  for (const path of ['/', '/api/fleet', '/api/events', '/api/audit', '/app.js'])
    assert.equal((await raw('GET', path, { host })).status, 401, path);
  assert.equal((await raw('GET', '/api/fleet', { host, 'x-logdial-token': 'wrong' })).status, 401);
  assert.equal((await raw('GET', '/api/fleet', { host: 'evil.example:80', 'x-logdial-token': token })).status, 421);
  const body = JSON.stringify({ app: 'orders', levels: { root: 'DEBUG' } });
  const change = { host, 'x-logdial-token': token, 'content-type': 'application/json' };
  assert.equal((await raw('POST', '/api/set', { ...change, origin: 'http://evil.example' }, body)).status, 403);
  assert.equal((await raw('POST', '/api/set', { ...change, origin: base }, body)).status, 403);
  const other = await browser.newPage();
  const response = await other.goto(base + '/');
  assert.equal(response?.status(), 401);
  await other.close();
  const audit = (await (await page.request.get(`${base}/api/audit`)).json()) as { entries: Array<{ what: string }> };
  assert.ok(!audit.entries.some((e) => e.what === 'set root=DEBUG'), 'no refused change was carried out');
});
