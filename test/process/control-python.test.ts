/**
 * Python both ways: `logdial push/set --port A-B` updates python3 processes running
 * `logging.config.listen` (bare frame, "sent (no ack)") and logdial TCP listeners (acknowledged)
 * in one concurrent scan that does not stop at dead ports; the seed's `update_log_levels.py`
 * updates logdial processes started with `listen({ port: [A, A+29], legacy: true })`.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { repoRoot, sourceFixtures } from '../helpers/paths.js';
import { freePortRange } from '../helpers/ports.js';
import { run, startChild, type Child } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';
import { suiteCleanup } from '../helpers/suite.js';
import { after, cli, privateRuntime, startControlChild, until } from '../fixtures/control-helpers.js';

function startPython(t: Parameters<typeof startChild>[0], port: number): Child {
  return startChild(t, 'python3', ['-u', join(sourceFixtures, 'control-python-listener.py'), String(port)]);
}

describe('logdial set/push --port A-B: Python listeners get the bare frame, logdial ones acknowledge', () => {
  // a: python, a+1: logdial legacy (no secret), a+2: nothing, a+3: python, a+4: logdial with secret, a+5: nothing.
  // Shared by the tests below, which run in order (each leaves the processes as the next expects).
  const hooks = suiteCleanup();
  const secret = 's3cret';
  let env: NodeJS.ProcessEnv = {};
  let a = 0;
  let range = '';
  let py: Child[] = [];
  let nodes: Child[] = [];

  before(
    async () => {
      ({ env } = privateRuntime(hooks));
      const [first, last] = await freePortRange(6);
      a = first;
      range = `${first}-${last}`;
      py = [startPython(hooks, a), startPython(hooks, a + 3)];
      nodes = [
        await startControlChild(hooks, env, { CTL_APP: 'tcp', CTL_PORT: String(a + 1), CTL_LEGACY: '1' }),
        await startControlChild(hooks, env, { CTL_APP: 'tcp', CTL_PORT: String(a + 4), CTL_SECRET: secret }),
      ];
      await Promise.all(py.map((p) => p.waitFor(/READY/, 30000)));
    },
    { timeout: 60_000 },
  );

  test(
    'ls over the range tells Python listeners from logdial ones and skips dead ports',
    { timeout: 60_000 },
    async () => {
      const ls = await cli(['ls', '--port', range, '--secret', secret, '--json'], env);
      const found = JSON.parse(ls.stdout) as TargetResult[];
      assert.deepEqual(
        found.map((r) => [Number(r.endpoint.split(':')[1]) - a, r.kind, r.status]),
        [
          [0, 'python', 'skipped'],
          [1, 'tcp', 'ok'],
          [3, 'python', 'skipped'],
          [4, 'tcp', 'ok'],
        ],
      );
    },
  );

  test('set reaches both kinds: sent to Python, acknowledged by logdial', { timeout: 60_000 }, async () => {
    const pyMarks = py.map((p) => p.stdout().length);
    const nodeMarks = nodes.map((n) => n.stdout().length);
    const set = await cli(['set', 'root=DEBUG', '--port', range, '--secret', secret, '--json'], env);
    assert.equal(set.code, 0, set.stderr + set.stdout);
    const rows = JSON.parse(set.stdout) as TargetResult[];
    assert.deepEqual(
      rows.map((r) => r.status),
      ['sent', 'ok', 'sent', 'ok'],
    );
    await Promise.all(
      py.map((p, i) =>
        until(() => /DEBUG app\.work: debug tick/.test(after(p, pyMarks[i]!)), 20000, `python ${i} at DEBUG`),
      ),
    );
    await Promise.all(
      nodes.map((n, i) => until(() => /DEBUG app\.work/.test(after(n, nodeMarks[i]!)), 20000, `node ${i} at DEBUG`)),
    );
  });

  test(
    'set --for skips Python listeners (they cannot revert by themselves) and exits 1',
    { timeout: 60_000 },
    async () => {
      const temp = await cli(['set', 'root=DEBUG', '--for', '1h', '--port', range, '--secret', secret], env);
      assert.equal(temp.code, 1);
      assert.match(temp.stderr, /cannot revert by themselves/);
      const revert = await cli(['revert', '--port', range, '--secret', secret, '--app', 'tcp'], env);
      assert.equal(revert.code, 0, revert.stderr + revert.stdout);
    },
  );

  test('push sends the whole file to both kinds', { timeout: 60_000 }, async () => {
    const pyMarks = py.map((p) => p.stdout().length);
    const nodeMarks = nodes.map((n) => n.stdout().length);
    const push = await cli(
      ['push', join(sourceFixtures, 'control-pushed.conf'), '--port', range, '--secret', secret, '--json'],
      env,
    );
    assert.equal(push.code, 0, push.stderr + push.stdout);
    assert.deepEqual(
      (JSON.parse(push.stdout) as TargetResult[]).map((r) => r.status),
      ['sent', 'ok', 'sent', 'ok'],
    );
    await Promise.all(
      py.map((p, i) =>
        until(() => /PUSHED DEBUG app\.work: debug tick/.test(after(p, pyMarks[i]!)), 20000, `python ${i} pushed`),
      ),
    );
    await Promise.all(
      nodes.map((n, i) =>
        until(() => /PUSHED DEBUG app\.work: debug tick/.test(after(n, nodeMarks[i]!)), 20000, `node ${i} pushed`),
      ),
    );
  });

  test('the Python listeners raised nothing', () => {
    for (const p of py) assert.doesNotMatch(p.stderr(), /Traceback/);
  });
});

test("the seed's update_log_levels.py updates logdial legacy listeners", { timeout: 120_000 }, async (t) => {
  const { env } = privateRuntime(t);
  const [a, b] = await freePortRange(30);
  const nodes: Child[] = [];
  // Started one after the other: each takes the first port of the range that binds.
  for (let i = 0; i < 3; i++)
    nodes.push(await startControlChild(t, env, { CTL_APP: 'seed', CTL_PORT: `${a}-${b}`, CTL_LEGACY: '1' }));
  const ports = nodes.map((n) => Number(/READY \S+ (\d+)/.exec(n.stdout())![1]));
  assert.deepEqual(ports, [a, a + 1, a + 2]);

  // The article's script (the copy shipped with the seed example), with only its port constant
  // pointed at the test's range.
  const dir = tempDir(t);
  const script = readFileSync(join(repoRoot, 'examples', 'seed', 'update_log_levels.py'), 'utf8');
  assert.match(script, /^PORT = 9001 /m);
  const copy = join(dir, 'update_log_levels.py');
  writeFileSync(copy, script.replace(/^PORT = 9001 /m, `PORT = ${a} `));

  const marks = nodes.map((n) => n.stdout().length);
  const result = await run('python3', [copy, join(sourceFixtures, 'control-pushed.conf')], { timeoutMs: 60000 });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((result.stdout.match(/Connecting to logging server on port/g) ?? []).length, 3);
  assert.match(result.stdout, /Logging configuration updated!/);
  await Promise.all(
    nodes.map((n, i) =>
      until(() => /PUSHED DEBUG app\.work: debug tick/.test(after(n, marks[i]!)), 20000, `node ${i} updated`),
    ),
  );

  // Python's semantics (fileConfig, disable_existing_loggers=True): status shows the new levels.
  const status = await cli(['status', '--app', 'seed', '--json'], env);
  assert.equal(status.code, 0, status.stderr);
  for (const row of JSON.parse(status.stdout) as TargetResult[]) {
    const loggers = row.reply!.status!.loggers;
    assert.equal(loggers.find((l) => l.name === 'app.work')?.level, 'DEBUG');
    assert.equal(loggers.find((l) => l.name === 'root')?.level, 'INFO');
    assert.match(row.reply!.status!.configSource ?? '', /legacy frame/);
  }
});
