/**
 * The CLI loads what a command needs: `logdial set` (and the other commands that only talk to
 * processes) load neither the config layer (handlers, formatters, YAML) nor the viewer; those load
 * when `validate` or `view` runs.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { distRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { RECORD_MODULE_LOADS } from '../helpers/module-loads.js';
import { tempDir } from '../helpers/tmp.js';

/** The logdial modules (paths under src/) that running the CLI with `args` loads. */
async function modulesLoadedBy(args: string[], runtime: string): Promise<string[]> {
  const src = pathToFileURL(distRoot).href + '/src/';
  const program = `${RECORD_MODULE_LOADS}
const { main } = await import(${JSON.stringify(src + 'cli/main.js')});
await main([process.argv[0], 'logdial', ...${JSON.stringify(args)}]);
await settled();
process.stdout.write(JSON.stringify(loaded.filter((u) => u.startsWith(${JSON.stringify(src)})).map((u) => u.slice(${src.length}))));
`;
  const result = await run(process.execPath, ['--input-type=module', '-e', program], {
    timeoutMs: 30_000,
    env: { ...process.env, LOGDIAL_RUNTIME_DIR: runtime },
  });
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[];
}

test('logdial set loads no config, handler, formatter, viewer or ui module', async (t) => {
  const loaded = await modulesLoadedBy(['set', 'root=INFO', '--app', 'nobody'], tempDir(t));
  assert.ok(loaded.includes('cli/commands/set.js'), loaded.join(' '));
  const heavy = loaded.filter((m) => /^(config\/(?!lazy-yaml)|handlers\/|format\/|viewer\/|ui\/)/.test(m));
  assert.deepEqual(heavy, []);
  // Nor the logger module and its records (the tail command's tap loads them when it runs).
  assert.deepEqual(
    loaded.filter((m) => /^(core\/(logger|record|printf)|control\/tap)\.js$/.test(m)),
    [],
  );
});

test('logdial validate loads the config layer when it runs', async (t) => {
  const loaded = await modulesLoadedBy(['validate', '/nonexistent.conf'], tempDir(t));
  assert.ok(loaded.includes('config/load.js'), loaded.join(' '));
});
