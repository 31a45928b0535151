// `logdial ui` on the command line: its help, and a refusal to listen beyond loopback without a
// secret token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

test('logdial ui --help says what the page does and how it is protected', async () => {
  const result = await run(process.execPath, [cliEntry, 'ui', '--help'], { timeoutMs: 30_000 });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: logdial ui/);
  assert.match(result.stdout, /--bus <url>/);
  assert.match(result.stdout, /one-time token/);
});

test('logdial ui refuses another address than loopback without a token, and says so', async (t) => {
  const result = await run(process.execPath, [cliEntry, 'ui', '--host', '0.0.0.0'], {
    timeoutMs: 30_000,
    env: { ...process.env, LOGDIAL_RUNTIME_DIR: tempDir(t), LOGDIAL_UI_TOKEN: '' },
  });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /listening on 0\.0\.0\.0 needs a secret token \(--token or LOGDIAL_UI_TOKEN\)/);
});
