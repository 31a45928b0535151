/**
 * The adapters cost nothing to whoever does not use them: `import 'logdial'` (and even importing
 * `logdial/pino` or `logdial/winston`) loads neither pino nor winston; attaching leaves the
 * libraries' log methods as they were; and a child logger made per request is released once
 * dropped, so attaching leaks nothing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { attach as attachPino, type PinoLike } from '../../src/adapters/pino.js';
import { attach as attachWinston, type WinstonLike } from '../../src/adapters/winston.js';
import { getLogger } from '../../src/core/logger.js';
import { compiledFixtures, distRoot, libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

/** The pino/winston files a fresh process has loaded after importing `modules`. */
async function loadedAfter(modules: string[]): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    for (const m of ${JSON.stringify(modules)}) await import(m);
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(cache.filter((k) => /node_modules[\\\\/](pino|winston)[\\\\/]/.test(k))));`;
  const env = { ...process.env };
  delete env['LOGDIAL_LISTEN'];
  delete env['LOGDIAL_BUS'];
  const result = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    cwd: distRoot,
    timeoutMs: 30_000,
  });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as string[];
}

test("import 'logdial' and the adapter entry points load neither pino nor winston", { timeout: 60_000 }, async () => {
  // By the package's own names (its `exports`), as an application imports them.
  const entries = ['logdial', 'logdial/pino', 'logdial/winston'];
  assert.deepEqual(await loadedAfter(entries), []);
  assert.deepEqual(await loadedAfter([pathToFileURL(libraryEntry).href]), []);
  // The check sees a library that is loaded.
  const withPino = await loadedAfter([...entries, 'pino']);
  assert.ok(
    withPino.some((f) => /[\\/]pino[\\/]/.test(f)),
    JSON.stringify(withPino),
  );
});

for (const lib of ['pino', 'winston']) {
  test(`${lib}: a child per request is released when dropped`, { timeout: 60_000 }, async () => {
    const result = await run(process.execPath, ['--expose-gc', join(compiledFixtures, 'adapters-gc.js')], {
      env: { ...process.env, ADP_LIB: lib },
      timeoutMs: 50_000,
    });
    assert.equal(result.code, 0, result.stderr);
    const [word, peak] = result.stdout.trim().split(' ');
    assert.equal(word, 'TRACKED', result.stdout);
    assert.ok(Number(peak) > 100, `children were tracked (peak ${peak})`);
  });
}

test("attach leaves pino's and winston's log methods as they were", () => {
  const require = createRequire(import.meta.url);
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const pino = require('pino') as (options: object, stream: Writable) => PinoLike & Record<string, unknown>;
  const p = pino({ name: 'untouched', level: 'info' }, sink);
  const methods = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((m) => p[m]);
  attachPino(p);
  assert.deepEqual(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((m) => p[m]),
    methods,
    'the same functions: pino’s calls run as before',
  );
  getLogger('untouched').setLevel('DEBUG');
  assert.equal(p.level, 'debug', 'a level change still reaches it');

  const winston = require('winston') as typeof import('winston');
  const w = winston.createLogger({
    level: 'info',
    transports: [new winston.transports.Stream({ stream: sink })],
  }) as unknown as WinstonLike & Record<string, unknown>;
  const info = w['info'];
  attachWinston(w, { name: 'untouched-w' });
  assert.equal(w['info'], info);
  assert.ok(!Object.prototype.hasOwnProperty.call(w, 'write'), 'no gate while no child needs one');
  const child = w.child({ module: 'db' });
  getLogger('untouched-w.db').setLevel('DEBUG');
  assert.ok(Object.prototype.hasOwnProperty.call(w, 'write'), 'the gate, while a child is more verbose');
  assert.equal(w.level, 'debug');
  getLogger('untouched-w.db').setLevel(0);
  assert.ok(!Object.prototype.hasOwnProperty.call(w, 'write'), 'and gone again');
  assert.equal(w.level, 'info');
  assert.ok(child);
});
