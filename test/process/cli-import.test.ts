/**
 * `logdial validate --import MODULE` and `logdial push --import MODULE`: a config naming classes
 * the application registers validates for real once the module that registers them is loaded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { cliEntry, libraryEntry } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cliEntry, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', LOGDIAL_RUNTIME_DIR: join(cwd, 'run') },
  });
}

test(
  'validate and push --import load the module that registers the classes a config names',
  { timeout: 120_000 },
  (t) => {
    const dir = tempDir(t);
    writeFileSync(
      join(dir, 'reg.mjs'),
      `import { registerClass } from ${JSON.stringify(pathToFileURL(libraryEntry).href)};\nregisterClass('app.ContextFilter', class ContextFilter { filter() { return true; } });\n`,
    );
    writeFileSync(
      join(dir, 'cfg.json'),
      JSON.stringify({
        version: 1,
        filters: { ctx: { '()': 'app.ContextFilter' } },
        handlers: { c: { class: 'logging.StreamHandler', filters: ['ctx'] } },
        root: { handlers: ['c'] },
      }),
    );

    const without = cli(dir, 'validate', 'cfg.json');
    assert.equal(without.status, 1);
    assert.match(without.stderr, /No module named 'app'/);

    const withImport = cli(dir, 'validate', 'cfg.json', '--import', './reg.mjs');
    assert.equal(withImport.status, 0, withImport.stderr);

    const missing = cli(dir, 'validate', 'cfg.json', '--import', './nope.mjs');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot import \.\/nope\.mjs \(--import\)/);

    // push validates with the import, then looks for targets (none here): the file itself passed.
    const push = cli(dir, 'push', 'cfg.json', '--import', './reg.mjs');
    assert.doesNotMatch(push.stderr, /No module named|nothing was sent/);
    const pushWithout = cli(dir, 'push', 'cfg.json');
    assert.match(pushWithout.stderr, /No module named 'app'[\s\S]*nothing was sent/);

    assert.match(cli(dir, 'validate', '--help').stdout, /--import <MODULE>/);
    assert.match(cli(dir, 'push', '--help').stdout, /--import <MODULE>/);
  },
);
