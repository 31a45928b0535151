// `logdial view --parser FILE|NAME`: a Logria-style parser file gives lines fields that --where
// and --level filter on, in pipe mode, from a path or from the XDG config directory.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const input = [
  'GET /a | 200 | 12ms | WARN',
  'GET /b | 503 | 900ms | ERROR',
  'POST /c | 500 | 40ms | ERROR',
  'not a request line',
].join('\n');
const parser = {
  type: 'split',
  pattern: ' | ',
  analytics: { Request: 'count', Status: 'count', Took: 'none', Level: 'count' },
};

test('a parser file gives fields to --where and --level, from a path or by name from the XDG config', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'req.json');
  writeFileSync(file, JSON.stringify(parser));
  const byPath = await run(process.execPath, [cliEntry, 'view', '--parser', file, '--where', 'Status>=500'], {
    input,
    timeoutMs: 30000,
  });
  assert.equal(byPath.code, 0, byPath.stderr);
  assert.deepEqual(byPath.stdout.trim().split('\n'), ['GET /b | 503 | 900ms | ERROR', 'POST /c | 500 | 40ms | ERROR']);

  mkdirSync(join(dir, 'logdial', 'parsers'), { recursive: true });
  writeFileSync(join(dir, 'logdial', 'parsers', 'req.json'), JSON.stringify(parser));
  const byName = await run(process.execPath, [cliEntry, 'view', '--parser', 'req', '--where', 'Request~^POST'], {
    input,
    timeoutMs: 30000,
    env: { ...process.env, XDG_CONFIG_HOME: dir },
  });
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(byName.stdout.trim(), 'POST /c | 500 | 40ms | ERROR');

  writeFileSync(file, JSON.stringify({ ...parser, type: 'grok' }));
  const bad = await run(process.execPath, [cliEntry, 'view', '--parser', file], { input, timeoutMs: 30000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /req\.json at type: expected "regex" or "split"/);
});
