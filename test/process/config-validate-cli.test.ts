/** `logdial validate FILE [--json]`: exit 0 with a summary, exit 1 with the located error. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEntry, sourceFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const cli = (...args: string[]) => run(process.execPath, [cliEntry, 'validate', ...args], { timeoutMs: 30000 });

test('a valid INI file: exit 0 and a summary of loggers, levels, handlers, formatters', async () => {
  const r = await cli(join(sourceFixtures, 'config-seed', 'info.conf'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid fileConfig/);
  assert.match(r.stdout, /root\s+INFO\s+-\s+console/);
  assert.match(r.stdout, /console\s+logging\.StreamHandler\s+INFO\s+default\s+stderr/);
  assert.match(r.stdout, /default\s+logging\.ColorFormatter/);
});

test('--json on a valid YAML file', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'c.yaml');
  writeFileSync(
    file,
    'version: 1\nhandlers:\n  f:\n    class: logging.FileHandler\n    filename: /nonexistent/dir/x.log\nroot:\n  level: DEBUG\n  handlers: [f]\n',
  );
  const r = await cli(file, '--json');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as {
    ok: boolean;
    summary: { loggers: Array<{ name: string; level: string }>; handlers: Array<{ target: string }> };
  };
  assert.equal(out.ok, true);
  assert.deepEqual(out.summary.loggers, [{ name: 'root', level: 'DEBUG', propagate: null, handlers: ['f'] }]);
  assert.equal(out.summary.handlers[0]!.target, '/nonexistent/dir/x.log', 'validate opens nothing');
});

test('an invalid file: exit 1 with file and line (INI) or path (JSON)', async (t) => {
  const dir = tempDir(t);
  const ini = join(dir, 'bad.conf');
  writeFileSync(
    ini,
    '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=LOUD\nhandlers=\n',
  );
  const r = await cli(ini);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${ini.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8: .*Unknown level: 'LOUD'`));
  const json = join(dir, 'bad.json');
  writeFileSync(json, '{"version": 1, "handlers": {"console": {"class": "logging.Nope"}}}');
  const j = await cli(json, '--json');
  assert.equal(j.code, 1);
  const out = JSON.parse(j.stdout) as { ok: boolean; error: { path: string; file: string; line: number } };
  assert.equal(out.ok, false);
  assert.equal(out.error.path, 'handlers.console.class');
  assert.equal(out.error.file, json);
  assert.equal(out.error.line, 1);
  const missing = await cli(join(dir, 'nope.conf'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.conf doesn't exist/);
});
