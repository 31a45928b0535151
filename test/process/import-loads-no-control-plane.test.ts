/**
 * `import 'logdial'` loads no control plane, config parser, YAML or CLI unless asked: of
 * `src/config/` only the modules of the classes it exports (errors, INI file, Python literals)
 * and the size bound. `LOGDIAL_LISTEN=1` (or a call to `listen`) loads the endpoint, and still no
 * bus; the first `dictConfig` loads the config layer and the control plane's thread sharing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { libraryEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { RECORD_MODULE_LOADS } from '../helpers/module-loads.js';
import { tempDir } from '../helpers/tmp.js';

/** What `import 'logdial'` loads of src/config: the modules of the classes and constant it exports. */
const CONFIG_AT_IMPORT = [
  'config/basic-config.js',
  'config/errors.js',
  'config/ini.js',
  'config/py-literal.js',
  'config/text-bounds.js',
];

/** Every module URL a program that imports the library (then runs `after`) loads, relative to src/ or as node_modules/<pkg>. */
async function modulesLoaded(env: NodeJS.ProcessEnv, after = ''): Promise<string[]> {
  const entry = pathToFileURL(libraryEntry).href;
  const src = entry.slice(0, -'index.js'.length);
  const program = `${RECORD_MODULE_LOADS}
const lib = await import(${JSON.stringify(entry)});
${after}
await settled();
const name = (u) => u.startsWith(${JSON.stringify(src)}) ? u.slice(${src.length}) : u.includes('/node_modules/') ? 'node_modules/' + u.split('/node_modules/').pop() : u;
process.stdout.write(JSON.stringify(loaded.map(name)));
`;
  const result = await run(process.execPath, ['--input-type=module', '-e', program], { timeoutMs: 60_000, env });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[];
}

function cleanEnv(runtime: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime };
  for (const key of ['LOGDIAL_LISTEN', 'LOGDIAL_BUS', 'LOGDIAL_PORT', 'LOGDIAL_SECRET']) delete env[key];
  return env;
}

test("import 'logdial' loads nothing of src/control and of src/config only the exported classes' modules", async (t) => {
  const loaded = await modulesLoaded(cleanEnv(tempDir(t)));
  assert.ok(
    loaded.some((m) => m === 'index.js'),
    loaded.join(' '),
  );
  assert.deepEqual(
    loaded.filter((m) => m.startsWith('control/')),
    [],
  );
  assert.deepEqual(loaded.filter((m) => m.startsWith('config/')).sort(), CONFIG_AT_IMPORT);
});

test("import 'logdial' loads none of the built-in modules only sockets, clusters or child processes need", async (t) => {
  const program = `const before = new Set(process.moduleLoadList);
await import(${JSON.stringify(pathToFileURL(libraryEntry).href)});
const loaded = process.moduleLoadList.filter((m) => !before.has(m));
process.stdout.write(JSON.stringify(loaded));`;
  const result = await run(process.execPath, ['--input-type=module', '-e', program], {
    timeoutMs: 60_000,
    env: cleanEnv(tempDir(t)),
  });
  assert.equal(result.code, 0, result.stderr);
  const loaded = JSON.parse(result.stdout) as string[];
  const heavy = loaded.filter((m) => /^NativeModule (net|dgram|cluster|child_process|zlib|crypto|http|https)$/.test(m));
  assert.deepEqual(heavy, []);
});

test('the first dictConfig loads the config layer and what shares it with worker threads', async (t) => {
  // The config layer is required synchronously (require of an ES module), which the load hook does
  // not see: require.cache lists what was required.
  const loaded = await modulesLoaded(
    cleanEnv(tempDir(t)),
    `lib.dictConfig({ version: 1, root: { level: 'INFO' } });
if (lib.getRootLogger().level !== 20) throw new Error('not applied');
const { createRequire } = await import('node:module');
const { pathToFileURL } = await import('node:url');
for (const file of Object.keys(createRequire(import.meta.url).cache)) loaded.push(pathToFileURL(file).href);`,
  );
  assert.ok(loaded.includes('config/load.js'), loaded.join(' '));
  assert.ok(loaded.includes('control/autostart.js'), loaded.join(' '));
  assert.deepEqual(
    loaded.filter((m) => m.startsWith('control/listen')),
    [],
  );
});

test("import 'logdial' loads no CLI, viewer, YAML or Redis client", async (t) => {
  const loaded = await modulesLoaded(cleanEnv(tempDir(t)));
  const heavy = loaded.filter((m) => /^(cli|viewer)\/|node_modules\/(yaml|ioredis)\//.test(m));
  assert.deepEqual(heavy, []);
});

test('LOGDIAL_LISTEN=1 loads the endpoint at import, and no bus', async (t) => {
  // The endpoint starts asynchronously after the import: wait until it has loaded.
  const loaded = await modulesLoaded(
    { ...cleanEnv(tempDir(t)), LOGDIAL_LISTEN: '1' },
    "await settled((urls) => urls.some((u) => u.endsWith('/control/control-server.js')));",
  );
  assert.ok(loaded.includes('control/control-server.js'), loaded.join(' '));
  assert.deepEqual(
    loaded.filter((m) => m.startsWith('control/bus/') || m.startsWith('node_modules/ioredis/')),
    [],
  );
});

test('listen() called in code loads the endpoint and binds its socket', async (t) => {
  const loaded = await modulesLoaded(
    cleanEnv(tempDir(t)),
    `const handle = lib.listen({ app: 'lazy' }); await handle.ready;
if (!handle.socketPath) throw new Error('not bound'); await handle.close();`,
  );
  assert.ok(loaded.includes('control/listen.js'), loaded.join(' '));
});
