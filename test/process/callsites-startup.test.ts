/**
 * `node --import logdial/callsites` at start-up, with real child processes: before Node 22.15 the
 * ES module hooks need a thread of their own, started only when an ES module that may hold a
 * logging call can load — yet every program that logs from such a module still gets its marks.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as nodeModule from 'node:module';
import { distRoot, libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const register = pathToFileURL(join(distRoot, 'src', 'callsites', 'register.js')).href;
const library = JSON.stringify(pathToFileURL(libraryEntry).href);
/** Threads of the process at exit (Linux), printed on stderr. */
const REPORT_THREADS = `process.on('exit', () => process.stderr.write('threads=' + require('node:fs').readdirSync('/proc/self/task').length + '\\n'));`;
const threadHooks = typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function';

/** Counts stack captures, then logs `n` lines from one call site with a caller field. */
const HOT_SITE = `const real = Error.captureStackTrace; let captures = 0;
Error.captureStackTrace = function (t, e) { captures++; return real.call(Error, t, e); };
const root = getRootLogger(); const h = new StreamHandler('stdout');
h.setFormatter(new Formatter('%(funcName)s:%(lineno)d %(message)s')); root.addHandler(h); root.setLevel('INFO');
export function write_logs(n) { for (let i = 0; i < n; i++) getLogger('app').info('line %d', i); }
process.on('exit', () => process.stderr.write('captures=' + captures + '\\n'));
`;

async function node(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await run(process.execPath, args, { timeoutMs: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

const countOf = (name: string, text: string) => Number(new RegExp(`${name}=(\\d+)`).exec(text)?.[1] ?? NaN);

test(
  'a program whose ES modules hold no logging call starts no hooks thread',
  { skip: !existsSync('/proc/self/task') || !threadHooks },
  async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'helper.mjs'), `export const two = 2;\n`);
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { createRequire } from 'node:module'; import { two } from './helper.mjs';\nconst require = createRequire(import.meta.url);\n${REPORT_THREADS}\nprocess.stdout.write(String(two));\n`,
    );
    const plain = await node([join(dir, 'main.mjs')]);
    const hooked = await node(['--import', register, join(dir, 'main.mjs')]);
    assert.equal(hooked.stdout, '2');
    assert.equal(countOf('threads', hooked.stderr), countOf('threads', plain.stderr), hooked.stderr + plain.stderr);
  },
);

test('logging calls in a statically imported ES module are marked', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'app.mjs'),
    `import { getLogger, getRootLogger, StreamHandler, Formatter } from ${library};\n${HOT_SITE}`,
  );
  writeFileSync(join(dir, 'main.mjs'), `import { write_logs } from './app.mjs';\nwrite_logs(500);\n`);
  const hooked = await node(['--import', register, join(dir, 'main.mjs')]);
  assert.equal(hooked.stdout.split('\n')[499], 'write_logs:6 line 499');
  assert.equal(countOf('captures', hooked.stderr), 1, hooked.stderr);
});

test('an ES module a CommonJS entry imports dynamically is marked', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'app.mjs'),
    `import { getLogger, getRootLogger, StreamHandler, Formatter } from ${library};\n${HOT_SITE}`,
  );
  writeFileSync(join(dir, 'main.cjs'), `import('./app.mjs').then((app) => app.write_logs(500));\n`);
  const plain = await node([join(dir, 'main.cjs')]);
  const hooked = await node(['--import', register, join(dir, 'main.cjs')]);
  assert.equal(hooked.stdout, plain.stdout);
  assert.equal(hooked.stdout.split('\n')[499], 'write_logs:6 line 499');
  assert.equal(countOf('captures', plain.stderr), 500);
  assert.equal(countOf('captures', hooked.stderr), 1, hooked.stderr);
});
