import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEntry, repoRoot } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

test('logdial --help lists every command; --version prints the package version', async () => {
  const help = await run(process.execPath, [cliEntry, '--help'], { timeoutMs: 30000 });
  assert.equal(help.code, 0, help.stderr);
  for (const command of ['ls', 'status', 'push', 'set', 'revert', 'validate', 'view', 'demo']) {
    assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help mentions ${command}`);
  }
  const version = await run(process.execPath, [cliEntry, '--version'], { timeoutMs: 30000 });
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout.trim(), pkg.version);
});

test('the CLI ends quietly when its reader goes away (logdial --help | head -1)', async () => {
  const child = spawn(process.execPath, [cliEntry, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  // Close our end at once, as `head -1` does after its line: the CLI's writes then fail with EPIPE.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('CLI did not exit')), 30000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
});
