/**
 * ioredis is an optional peer dependency: only the Redis bus loads it. Installed without it, the
 * library logs and listens on its local socket, and asking for the bus says what to install.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IOREDIS_MISSING } from '../../src/control/bus/connection.js';
import { distRoot, repoRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

/** An application directory where logdial is installed with every dependency but ioredis. */
function appWithoutIoredis(t: Parameters<typeof tempDir>[0]): { app: string; bin: string } {
  const app = tempDir(t, 'logdial-no-ioredis-');
  const modules = join(app, 'node_modules');
  const pkg = join(modules, 'logdial');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  // Copied, not linked: Node resolves a linked package from its real path, where ioredis is.
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(distRoot, 'src'), join(pkg, 'dist', 'src'), { recursive: true });
  cpSync(join(repoRoot, 'bin'), join(pkg, 'bin'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name === 'ioredis' || name === '.bin' || name.startsWith('.')) continue;
    symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  return { app, bin: join(pkg, 'bin', 'logdial.js') };
}

test('without ioredis: logging and the local socket work, and the bus says to install ioredis', async (t) => {
  const { app } = appWithoutIoredis(t);
  const runtime = tempDir(t, 'logdial-rt-');
  writeFileSync(
    join(app, 'main.js'),
    `import { getLogger, listen, StreamHandler } from 'logdial';
const log = getLogger('app');
log.addHandler(new StreamHandler('stdout'));
log.warning('logging works');
const handle = listen({ app: 'no-ioredis', bus: 'redis://127.0.0.1:1' });
await handle.ready;
console.log('socket', handle.socketPath ? 'listening' : 'missing');
await handle.close();
`,
  );
  const result = await run(process.execPath, [join(app, 'main.js')], {
    cwd: app,
    timeoutMs: 30_000,
    env: { ...process.env, LOGDIAL_RUNTIME_DIR: runtime },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /logging works/);
  assert.match(result.stdout, /socket listening/);
  assert.ok(result.stderr.includes(IOREDIS_MISSING), `stderr names the missing package:\n${result.stderr}`);
});

test('without ioredis: logdial ls --bus fails with what to install', async (t) => {
  const { app, bin } = appWithoutIoredis(t);
  const result = await run(process.execPath, [bin, 'ls', '--bus', 'redis://127.0.0.1:1'], {
    cwd: app,
    timeoutMs: 30_000,
  });
  assert.notEqual(result.code, 0);
  assert.ok(result.stderr.includes('npm install ioredis'), `stderr:\n${result.stderr}`);
});
