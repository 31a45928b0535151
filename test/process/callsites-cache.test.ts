/**
 * The on-disk cache of `logdial/callsites` with real child processes: a warm cache gives the same
 * output as no cache and as no loader, a changed file is marked afresh, a damaged entry is never
 * used, and the cache stays private.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { distRoot, libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const register = pathToFileURL(join(distRoot, 'src', 'callsites', 'register.js')).href;
const library = JSON.stringify(pathToFileURL(libraryEntry).href);

/** An app with calls on several lines; `label` changes its text (and so its hash). */
function appSource(label: string): string {
  return `import { getLogger, getRootLogger, StreamHandler, Formatter } from ${library};
const real = Error.captureStackTrace; let captures = 0;
Error.captureStackTrace = function (t, e) { captures++; return real.call(Error, t, e); };
const h = new StreamHandler('stdout'); h.setFormatter(new Formatter('%(funcName)s:%(lineno)d %(message)s'));
getRootLogger().addHandler(h); getRootLogger().setLevel('INFO'); const log = getLogger('app');
function first(n) { for (let i = 0; i < n; i++) log.info('${label} first %d', i); }
function second(n) { for (let i = 0; i < n; i++) log.warning('${label} second %s', String(i)); }
first(100); second(100);
process.on('exit', () => process.stderr.write('captures=' + captures + '\\n'));
`;
}

interface Outcome {
  stdout: string;
  captures: number;
}

async function start(app: string, cache: string | null, hooked = true): Promise<Outcome> {
  const env = { ...process.env, NODE_OPTIONS: '', LOGDIAL_CALLSITES_CACHE: cache ?? 'off' };
  const r = await run(process.execPath, hooked ? ['--import', register, app] : [app], { timeoutMs: 60_000, env });
  assert.equal(r.code, 0, r.stderr);
  return { stdout: r.stdout, captures: Number(/captures=(\d+)/.exec(r.stderr)?.[1] ?? NaN) };
}

const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.marks'));

test('a warm cache gives the output of no cache and of no loader, with one capture per site', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  const app = join(dir, 'app.mjs');
  writeFileSync(app, appSource('v1'));
  const plain = await start(app, null, false);
  const uncached = await start(app, null);
  const cold = await start(app, cache);
  assert.ok(entries(cache).length > 0);
  const warm = await start(app, cache);
  assert.equal(plain.stdout.split('\n')[150], 'second:7 v1 second 50');
  for (const outcome of [uncached, cold, warm]) {
    assert.equal(outcome.stdout, plain.stdout);
    assert.equal(outcome.captures, 2);
  }
  assert.equal(plain.captures, 200);
  // The warm run read its marks from the entries: an entry that marks nothing is obeyed.
  for (const name of entries(cache)) {
    const key = JSON.parse(readFileSync(join(cache, name), 'utf8').split('\n')[1]!) as { key: string };
    const body = JSON.stringify({ key: key.key, sites: [] });
    writeFileSync(join(cache, name), `${createHash('sha256').update(body).digest('hex')}\n${body}`);
  }
  const obeyed = await start(app, cache);
  assert.equal(obeyed.stdout, plain.stdout);
  assert.equal(obeyed.captures, 200);
});

test('a changed file is marked afresh, not from the entry of its old text', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  const app = join(dir, 'app.mjs');
  writeFileSync(app, appSource('v1'));
  await start(app, cache);
  // Longer text on the marked lines: the old entry's spans would cut the new source wrongly.
  writeFileSync(app, appSource('version two, longer'));
  const changed = await start(app, cache);
  const plain = await start(app, null, false);
  assert.equal(changed.stdout, plain.stdout);
  assert.equal(changed.stdout.split('\n')[0], 'first:6 version two, longer first 0');
  assert.equal(changed.captures, 2);
});

test('damaged cache entries are ignored and rewritten', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  const app = join(dir, 'app.mjs');
  writeFileSync(app, appSource('v1'));
  const plain = await start(app, null, false);
  await start(app, cache);
  const damage: Array<(text: string) => string> = [
    (text) => text.slice(0, text.length >> 1), // truncated
    (text) => text.replace(/\d(?=,)/, (d) => String((Number(d) + 3) % 10)), // a span changed, checksum stale
    (text) => `${text.split('\n')[0]}\n{"key":"x","sites":[[0,1,2,3,"info",1]]}`, // body swapped
    () => '\u0000\u0001 not an entry',
  ];
  for (const hurt of damage) {
    for (const name of entries(cache)) writeFileSync(join(cache, name), hurt(readFileSync(join(cache, name), 'utf8')));
    const outcome = await start(app, cache);
    assert.equal(outcome.stdout, plain.stdout);
    assert.equal(outcome.captures, 2);
  }
  // The last run rewrote the entries: they are whole again.
  const again = await start(app, cache);
  assert.equal(again.stdout, plain.stdout);
});

test('the cache is private, and a directory others may write to is not used', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  const app = join(dir, 'app.mjs');
  writeFileSync(app, appSource('v1'));
  await start(app, cache);
  assert.equal(statSync(cache).mode & 0o777, 0o700);
  for (const name of entries(cache)) assert.equal(statSync(join(cache, name)).mode & 0o777, 0o600);
  const shared = join(dir, 'shared');
  await start(app, shared);
  chmodSync(shared, 0o777);
  for (const name of entries(shared)) writeFileSync(join(shared, name), 'planted');
  const outcome = await start(app, shared);
  assert.equal(outcome.captures, 2);
  for (const name of entries(shared)) assert.equal(readFileSync(join(shared, name), 'utf8'), 'planted');
});
