/**
 * `node --import logdial/callsites`: real child processes loading real files through Node's module
 * hooks (ES modules) and the require hook (CommonJS). The caller fields must be exactly those of
 * a stack capture, while the stack is captured once per call site instead of once per call.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { distRoot, libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const register = pathToFileURL(join(distRoot, 'src', 'callsites', 'register.js')).href;
const library = pathToFileURL(libraryEntry).href;
const FORMAT = '%(module)s.%(funcName)s:%(lineno)d %(filename)s %(levelname)s %(message)s';

/** One line of an app: the apps' line numbers are part of what the tests check. */
const oneLine = (code: string) => code.trim().replace(/\n/g, ' ');

/** Counts the stack captures the library makes (instrumentation in the app itself, not a mock). */
const COUNT_CAPTURES = oneLine(`
const realCapture = Error.captureStackTrace;
globalThis.captures = 0;
Error.captureStackTrace = function (target, entry) { globalThis.captures++; return realCapture.call(Error, target, entry); };
`);

/** Logging set-up shared by the apps: the format above on stdout, root at DEBUG. */
const SETUP = oneLine(`
const root = getRootLogger();
const handler = new StreamHandler('stdout');
handler.setFormatter(new Formatter(${JSON.stringify(FORMAT)}));
root.addHandler(handler);
root.setLevel('DEBUG');
const log = getLogger('app');
`);

/**
 * An app's source: the imports (line 1, `extraImports` appended), capture counting (line 2) and
 * the logging set-up (line 3), then `body` from line 4, then a line reporting the capture count.
 */
function appSource(body: string, extraImports = ''): string {
  const imports = `import { getLogger, getRootLogger, StreamHandler, Formatter, DEBUG, INFO } from ${JSON.stringify(library)}; import { createRequire } from 'node:module'; ${extraImports}`;
  return `${imports}\n${COUNT_CAPTURES}\n${SETUP}\n${body}process.stderr.write('captures=' + globalThis.captures + '\\n');\n`;
}

const ESM_APP = appSource(`function write_logs(i) {
  log.info('hello %d', i);
  log.debug('seq %s', (i, i + 1));
}
for (let i = 0; i < 3; i++) write_logs(i);
log.warning('top level');
class Service { handle(req) { log.error('failed %s', req, { id: 7 }); } static boot() { log.critical('boot'); } }
new Service().handle('GET /');
Service.boot();
const arrow = () => log.log(INFO, 'from an arrow %s', 'fn');
arrow();
async function later() { await null; log.info('after await'); }
await later();
function* steps() { log.info('in a generator %d', yield 1); }
const it = steps(); it.next(); it.next(5);
log.exception(new Error('boom'));
function helper(msg) { log.logWith(INFO, { stacklevel: 2 }, msg); }
function caller_of_helper() { helper('via stacklevel'); }
caller_of_helper();
log.info('nested %s', log.debug('inner') ?? 'x');
`);

interface AppRun {
  stdout: string;
  /** Stack captures the library made (reported by the app). */
  captures: number;
}

async function runApp(file: string, withHook: boolean, env: NodeJS.ProcessEnv = {}): Promise<AppRun> {
  const args = withHook ? ['--import', register, file] : [file];
  const r = await run(process.execPath, args, { timeoutMs: 30_000, env: { ...process.env, NO_COLOR: '1', ...env } });
  assert.equal(r.code, 0, r.stderr);
  const captures = Number(/captures=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { stdout: r.stdout, captures };
}

/** Runs an app with and without the loader; its output must be the same both ways. */
async function runBothWays(
  file: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ plain: AppRun; hooked: AppRun; lines: string[] }> {
  const plain = await runApp(file, false, env);
  const hooked = await runApp(file, true, env);
  assert.equal(hooked.stdout, plain.stdout);
  return { plain, hooked, lines: plain.stdout.trimEnd().split('\n') };
}

/** Writes `body` as app `fileName` (see appSource) and checks its output, the same both ways, line by line. */
async function expectBothWays(t: TestContext, fileName: string, body: string, expected: string[]): Promise<void> {
  const app = join(tempDir(t), fileName);
  writeFileSync(app, appSource(body));
  const { lines } = await runBothWays(app);
  assert.deepEqual(lines, expected);
}

/** The lines without error stacks (whose column numbers shift on marked lines). */
const recordLines = (out: string) => out.split('\n').filter((line) => !/^\s+at /.test(line));

test('an ES module under the hook logs exactly the caller fields of a stack capture', async (t) => {
  const dir = tempDir(t);
  const app = join(dir, 'main.mjs');
  writeFileSync(app, ESM_APP);
  const plain = await runApp(app, false);
  const hooked = await runApp(app, true);
  assert.deepEqual(recordLines(hooked.stdout), recordLines(plain.stdout));
  const lines = recordLines(plain.stdout);
  assert.ok(lines.includes('main.write_logs:5 main.mjs INFO hello 0'), plain.stdout);
  assert.ok(lines.includes('main.write_logs:6 main.mjs DEBUG seq 3'), plain.stdout);
  assert.ok(lines.includes('main.<module>:9 main.mjs WARNING top level'), plain.stdout);
  assert.ok(lines.includes('main.handle:10 main.mjs ERROR failed GET /'), plain.stdout);
  assert.ok(lines.includes('main.boot:10 main.mjs CRITICAL boot'), plain.stdout);
  assert.ok(lines.includes('main.arrow:13 main.mjs INFO from an arrow fn'), plain.stdout);
  assert.ok(lines.includes('main.later:15 main.mjs INFO after await'), plain.stdout);
  assert.ok(lines.includes('main.steps:17 main.mjs INFO in a generator 5'), plain.stdout);
  assert.ok(lines.includes('main.caller_of_helper:21 main.mjs INFO via stacklevel'), plain.stdout);
  assert.ok(lines.includes('main.<module>:23 main.mjs DEBUG inner'), plain.stdout);
  assert.ok(lines.includes('main.<module>:23 main.mjs INFO nested x'), plain.stdout);
  // Every record captured the stack without the hook; with it, only each site's first record did
  // (stacklevel 2 always captures: its caller depends on who called the helper).
  const records = lines.filter((line) => / (DEBUG|INFO|WARNING|ERROR|CRITICAL) /.test(line)).length;
  assert.ok(plain.captures >= records, `plain: ${plain.captures} captures for ${records} records`);
  const sites = 14;
  assert.ok(
    hooked.captures <= sites + 2,
    `hooked: ${hooked.captures} captures for ${records} records from ${sites} sites`,
  );
  assert.ok(hooked.captures < plain.captures);
});

test('a hot call site captures the stack once, however many times it logs', async (t) => {
  const dir = tempDir(t);
  const app = join(dir, 'hot.mjs');
  writeFileSync(
    app,
    appSource(`function write_logs(n) { for (let i = 0; i < n; i++) log.info('hello world %d', i); }
write_logs(20000);
`),
  );
  const hooked = await runApp(app, true);
  const lines = hooked.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 20000);
  assert.equal(lines[19999], 'hot.write_logs:4 hot.mjs INFO hello world 19999');
  assert.equal(hooked.captures, 1);
});

test('CommonJS files, required directly or imported from an ES module, are marked too', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'worker.cjs'),
    `'use strict';
exports.work = async function work(log) {
  const { getLogger } = await import(${JSON.stringify(library)});
  for (let i = 0; i < 50; i++) getLogger('cjs').info('from cjs %d', i);
  if (log) log.warning('done');
};
`,
  );
  writeFileSync(
    join(dir, 'main.mjs'),
    appSource(`const { work } = createRequire(import.meta.url)('./worker.cjs');
const imported = await import('./worker.cjs');
await work(log);
await imported.default.work(null);
`),
  );
  const { plain, hooked } = await runBothWays(join(dir, 'main.mjs'));
  assert.ok(plain.stdout.includes('worker.work:4 worker.cjs INFO from cjs 49\n'), plain.stdout);
  assert.ok(plain.stdout.includes('worker.work:5 worker.cjs WARNING done\n'), plain.stdout);
  assert.equal(plain.captures, 101);
  assert.equal(hooked.captures, 2);
});

test('a mark left by a call that never reached logdial is not used for another call', async (t) => {
  // A mark from emit() that met no logdial call must not give emit's line to the next call.
  await expectBothWays(
    t,
    'stale.mjs',
    `const notALogger = { info() {} };
const quiet = getLogger('quiet'); quiet.setLevel('ERROR');
const shared = { same: 'object' };
const bound = log.info.bind(log);
function emit(target, value) {
  target.info('via emit %s', value);
}
function first() {
  emit(log, 'cached');
  emit(notALogger, 'another value');
  bound('bound call', shared);
}
function second() {
  emit(quiet, shared);
  eval("log.info('eval call %s %d', shared, 3)");
}
function third() {
  emit(notALogger, 1);
  log.info('marked again %d', 1);
}
first(); second(); third();
`,
    [
      'stale.emit:9 stale.mjs INFO via emit cached',
      'stale.first:14 stale.mjs INFO bound call',
      "(unknown file).eval:1 (unknown file) INFO eval call { same: 'object' } 3",
      'stale.third:22 stale.mjs INFO marked again 1',
    ],
  );
});

test('node_modules are left unmarked unless LOGDIAL_CALLSITES_NODE_MODULES=1', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'node_modules', 'chatty'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'chatty', 'package.json'),
    JSON.stringify({ name: 'chatty', type: 'module', main: 'index.js' }),
  );
  writeFileSync(
    join(dir, 'node_modules', 'chatty', 'index.js'),
    `export function chat(log) { for (let i = 0; i < 30; i++) log.info('lib line %d', i); }\n`,
  );
  writeFileSync(
    join(dir, 'main.mjs'),
    appSource(
      `chat(log);
`,
      "import { chat } from 'chatty';",
    ),
  );
  const skipped = await runApp(join(dir, 'main.mjs'), true);
  assert.equal(skipped.captures, 30);
  const included = await runApp(join(dir, 'main.mjs'), true, { LOGDIAL_CALLSITES_NODE_MODULES: '1' });
  assert.equal(included.captures, 1);
  assert.equal(included.stdout, skipped.stdout);
  assert.ok(skipped.stdout.includes('index.chat:1 index.js INFO lib line 29\n'));
});

test('line numbers in error stacks are unchanged by the marks', async (t) => {
  const dir = tempDir(t);
  const app = join(dir, 'throws.mjs');
  writeFileSync(
    app,
    `import { getLogger } from ${JSON.stringify(library)};
const log = getLogger('x');
log.info('a %s', 'b'); log.debug('c', (() => { throw new Error('here'); })());
`,
  );
  for (const withHook of [false, true]) {
    const r = await run(process.execPath, withHook ? ['--import', register, app] : [app], { timeoutMs: 30_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /throws\.mjs:3\b/);
    assert.match(r.stderr, /Error: here/);
  }
});

test('disabled calls, forwarding wrappers and shared call sites never lend their site to another call', async (t) => {
  await expectBothWays(
    t,
    'shared.mjs',
    `const wrapper = { info(...a) { return log.info.apply(log, a); } };
function emit(target, value) {
  target.info('via emit %s', value);
}
function handle(req) {
  log.debug('got %s', req);
  log['info']('handling %s', req);
  log.log(DEBUG, 'log() got');
  log['info']('handled %s', req);
}
const req = { path: '/' };
log.setLevel('INFO');
handle(req);
log.setLevel('DEBUG');
handle(req);
emit(wrapper, 1);
emit(log, 2);
emit(wrapper, 3);
function stale() {
  log.debug('disabled %s', 1);
}
function unmarked() {
  log['debug']('unmarked %s', 2);
}
log.setLevel('INFO'); stale(); log.setLevel('DEBUG'); unmarked(); stale();
`,
    [
      "shared.handle:10 shared.mjs INFO handling { path: '/' }",
      "shared.handle:12 shared.mjs INFO handled { path: '/' }",
      "shared.handle:9 shared.mjs DEBUG got { path: '/' }",
      "shared.handle:10 shared.mjs INFO handling { path: '/' }",
      'shared.handle:11 shared.mjs DEBUG log() got',
      "shared.handle:12 shared.mjs INFO handled { path: '/' }",
      'shared.info:4 shared.mjs INFO via emit 1',
      'shared.emit:6 shared.mjs INFO via emit 2',
      'shared.info:4 shared.mjs INFO via emit 3',
      // The mark of a disabled call is dropped when a level changes.
      'shared.unmarked:26 shared.mjs DEBUG unmarked 2',
      'shared.stale:23 shared.mjs DEBUG disabled 1',
    ],
  );
});

test('a file too deeply nested to mark still loads and logs (unmarked)', async (t) => {
  const dir = tempDir(t);
  // CommonJS cannot require the ES module build on Node 20: the deep file is required by an ES module.
  writeFileSync(
    join(dir, 'deep.cjs'),
    `module.exports = function (log) {\n  log.info('deep %d', ${Array.from({ length: 3000 }, () => '1').join(' + ')});\n};\n`,
  );
  writeFileSync(
    join(dir, 'main.mjs'),
    appSource(`createRequire(import.meta.url)('./deep.cjs')(log);
`),
  );
  const { plain } = await runBothWays(join(dir, 'main.mjs'));
  assert.equal(plain.stdout, 'deep.module.exports:2 deep.cjs INFO deep 3000\n');
});

test('calls suspended at an await in their arguments keep their own call sites', async (t) => {
  await expectBothWays(
    t,
    'interleaved.mjs',
    `const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
async function first(ms) {
  log.info('first %s', await later(1, ms));
}
async function second(ms) {
  log.info('second %s', await later(2, ms));
}
await Promise.all([first(5), second(10)]);
await Promise.all([second(5), first(10)]);
await first(0);
await second(0);
`,
    [
      'interleaved.first:6 interleaved.mjs INFO first 1',
      'interleaved.second:9 interleaved.mjs INFO second 2',
      'interleaved.second:9 interleaved.mjs INFO second 2',
      'interleaved.first:6 interleaved.mjs INFO first 1',
      'interleaved.first:6 interleaved.mjs INFO first 1',
      'interleaved.second:9 interleaved.mjs INFO second 2',
    ],
  );
});

test('a throwing level, a forwarding replaced method and functions named at run time do not lend a site', async (t) => {
  await expectBothWays(
    t,
    'lent.mjs',
    `const real = log.info;
function viaLog(level) { try { log.log(level, 'a %s', 1); } catch {} }
function spread(...args) { log.log(INFO, ...args); }
viaLog(INFO); viaLog('NO_SUCH_LEVEL'); spread('spread %s', 2);
log.info = function (msg, ...rest) { return real.call(this, msg, ...rest); };
function replaced(msg) { log.info(msg, 1); }
function computed() { log['info']('computed %s', 2); }
replaced('replaced %s'); computed(); replaced('replaced %s');
function make(name) { return { [name](x) { log.warning('made %s', x); } }[name]; }
make('first')(1); make('second')(2);
`,
    [
      'lent.viaLog:5 lent.mjs INFO a 1',
      'lent.spread:6 lent.mjs INFO spread 2',
      'lent.replaced:9 lent.mjs INFO replaced 1',
      'lent.computed:10 lent.mjs INFO computed 2',
      'lent.replaced:9 lent.mjs INFO replaced 1',
      'lent.first:12 lent.mjs WARNING made 1',
      'lent.second:12 lent.mjs WARNING made 2',
    ],
  );
});
