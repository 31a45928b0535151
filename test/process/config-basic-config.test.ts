/**
 * basicConfig() with CPython's rules: each scenario runs as a fresh node process and as a fresh
 * python3 process, and what they print to stderr (and write to a file) must be the same.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { StreamHandler, basicConfig, getRootLogger } from '../../src/index.js';
import { libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs the same scenario in node (with logdial's exports in scope) and in python3 (with logging imported). */
async function both(js: string, py: string, cwd?: string): Promise<{ node: string; python: string }> {
  const nodeCode = `const { basicConfig, getLogger, StreamHandler } = await import(${JSON.stringify(libraryEntry)});\n${js}`;
  const [node, python] = await Promise.all([
    run(process.execPath, ['--input-type=module', '-e', nodeCode], { timeoutMs: 20_000, cwd }),
    run('python3', ['-c', `import logging, sys\n${py}`], { timeoutMs: 20_000, cwd }),
  ]);
  assert.equal(node.code, 0, node.stderr);
  assert.equal(python.code, 0, python.stderr);
  return { node: node.stderr, python: python.stderr };
}

test('no arguments: WARNING and above to stderr as LEVEL:name:message', async () => {
  const out = await both(
    "basicConfig(); getLogger('app').warning('disk %d%% full', 91); getLogger('app').info('hidden'); getLogger().error('root too');",
    "logging.basicConfig(); logging.getLogger('app').warning('disk %d%% full', 91); logging.getLogger('app').info('hidden'); logging.getLogger().error('root too')",
  );
  assert.equal(out.node, 'WARNING:app:disk 91% full\nERROR:root:root too\n');
  assert.equal(out.node, out.python);
});

test('level, format, datefmt and style; a second call does nothing; force replaces the handlers', async () => {
  const out = await both(
    [
      "basicConfig({ level: 'INFO', format: '{levelname} {name}: {message}', style: '{' });",
      "basicConfig({ format: 'ignored %(message)s' });",
      "getLogger('a.b').info('one');",
      "basicConfig({ force: true, format: '$levelname|$message', style: '$', level: 'DEBUG' });",
      "getLogger('a').debug('two');",
    ].join('\n'),
    [
      "logging.basicConfig(level='INFO', format='{levelname} {name}: {message}', style='{')",
      "logging.basicConfig(format='ignored %(message)s')",
      "logging.getLogger('a.b').info('one')",
      "logging.basicConfig(force=True, format='$levelname|$message', style='$', level='DEBUG')",
      "logging.getLogger('a').debug('two')",
    ].join('\n'),
  );
  assert.equal(out.node, 'INFO a.b: one\nDEBUG|two\n');
  assert.equal(out.node, out.python);
});

test('filename and filemode write a file; mode w truncates it', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'js.log'), 'old\n');
  writeFileSync(join(dir, 'py.log'), 'old\n');
  await both(
    "basicConfig({ filename: 'js.log', filemode: 'w', level: 'INFO' }); getLogger('f').info('to file');",
    "logging.basicConfig(filename='py.log', filemode='w', level='INFO'); logging.getLogger('f').info('to file')",
    dir,
  );
  assert.equal(readFileSync(join(dir, 'js.log'), 'utf8'), 'INFO:f:to file\n');
  assert.equal(readFileSync(join(dir, 'js.log'), 'utf8'), readFileSync(join(dir, 'py.log'), 'utf8'));
});

test("CPython's errors: stream with filename, stream or filename with handlers, unknown arguments, bad style", async () => {
  const calls = [
    ["{ stream: 'stdout', filename: 'x.log' }", "stream=sys.stdout, filename='x.log'"],
    ["{ handlers: [new StreamHandler()], stream: 'stdout' }", 'handlers=[logging.StreamHandler()], stream=sys.stdout'],
    ["{ style: 'x' }", "style='x'"],
    // Last: CPython checks unknown arguments only after it added the handler (logdial before).
    ['{ bogus: 1 }', 'bogus=1'],
  ];
  const js = calls
    .map(([args]) => `try { basicConfig(${args}); } catch (e) { process.stderr.write(e.message + '\\n'); }`)
    .join('\n');
  const py = calls
    .map(
      ([, args]) =>
        `try:\n    logging.basicConfig(${args})\nexcept ValueError as e:\n    sys.stderr.write(str(e) + '\\n')`,
    )
    .join('\n');
  const out = await both(js, py);
  assert.equal(out.node.split('\n').length, 5, out.node);
  assert.equal(out.node, out.python);
});

test('a bad call changes nothing, even with force; the return value says whether it configured', () => {
  const root = getRootLogger();
  const saved = [...root.handlers];
  const handler = new StreamHandler(new PassThrough());
  try {
    assert.equal(basicConfig({ force: true, handlers: [handler] }), true);
    assert.deepEqual(root.handlers, [handler]);
    assert.ok(handler.formatter, 'a handler without a formatter gets the format');
    assert.throws(() => basicConfig({ force: true, format: 'no fields' }), /Invalid format 'no fields' for '%' style/);
    assert.throws(() => basicConfig({ force: true, level: 'LOUD' }));
    assert.deepEqual(root.handlers, [handler], 'still configured');
    assert.equal(basicConfig({ level: 'INFO' }), false);
  } finally {
    for (const h of [...root.handlers]) root.removeHandler(h);
    for (const h of saved) root.addHandler(h);
  }
});
