/**
 * Pushing configs: a broken file never leaves the CLI (exit 1, located error); a config that fails
 * only inside the process (a path outside the allow-list, an unwritable path) is rejected by that
 * process, which keeps logging with its old config, and the CLI shows its error.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { sourceFixtures } from '../helpers/paths.js';
import type { Child } from '../helpers/proc.js';
import { suiteCleanup } from '../helpers/suite.js';
import { after, cli, privateRuntime, startControlChildren, until } from '../fixtures/control-helpers.js';

function fileConfig(path: string): string {
  return `[loggers]
keys=root

[handlers]
keys=file

[formatters]
keys=plain

[formatter_plain]
format=FILE %(levelname)s %(name)s: %(message)s

[handler_file]
class=FileHandler
level=DEBUG
formatter=plain
args=(${JSON.stringify(path)}, 'a')

[logger_root]
level=DEBUG
handlers=file
`;
}

describe('push: broken files stay local; in-process failures are rejected and change nothing', () => {
  // Three processes of one app, allowed to write in `logs`, shared by the tests below (in order:
  // the last one changes their config).
  const hooks = suiteCleanup();
  let root = '';
  let logs = '';
  let env: NodeJS.ProcessEnv = {};
  let children: Child[] = [];
  let marks: number[] = [];

  before(
    async () => {
      ({ root, env } = privateRuntime(hooks));
      logs = join(root, 'logs');
      mkdirSync(logs);
      children = await startControlChildren(hooks, 3, env, () => ({ CTL_APP: 'pushy', CTL_ALLOW: logs }), 3);
      marks = children.map((c) => c.stdout().length);
    },
    { timeout: 60_000 },
  );

  test('a broken INI file: exit 1, located error, nothing sent', { timeout: 60_000 }, async () => {
    const ini = await cli(['push', join(sourceFixtures, 'control-broken.conf'), '--app', 'pushy'], env);
    assert.equal(ini.code, 1);
    assert.match(ini.stderr, /control-broken\.conf:\d+/);
    assert.match(ini.stderr, /nothing was sent/);
  });

  test('a broken JSON file: exit 1, error located at its key', { timeout: 60_000 }, async () => {
    const json = await cli(['push', join(sourceFixtures, 'control-broken.json'), '--app', 'pushy'], env);
    assert.equal(json.code, 1);
    assert.match(json.stderr, /control-broken\.json(:\d+)? at handlers\.console\.class/);
  });

  test('the processes saw nothing of the broken files', () => {
    for (const [i, c] of children.entries()) assert.doesNotMatch(after(c, marks[i]!), /logdial: applied|rejected/);
  });

  // Outside the allow-list, and inside it but unwritable (a directory that does not exist).
  for (const [name, where, pathOf, pattern] of [
    ['outside.conf', 'outside the allow-list', () => join(root, 'elsewhere.log'), /outside the directories/],
    [
      'unwritable.conf',
      'in a directory that does not exist',
      () => join(logs, 'no', 'such', 'dir', 'app.log'),
      /ENOENT|no such file/i,
    ],
  ] as const) {
    test(
      `a file handler ${where}: rejected by every process, which keeps logging as before`,
      { timeout: 90_000 },
      async () => {
        const path = pathOf();
        const file = join(root, name);
        writeFileSync(file, fileConfig(path));
        const before = children.map((c) => c.stdout().length);
        const push = await cli(['push', file, '--app', 'pushy', '--json'], env);
        assert.equal(push.code, 1, push.stdout);
        const rows = JSON.parse(push.stdout) as TargetResult[];
        assert.equal(rows.length, 3);
        for (const row of rows) {
          assert.equal(row.status, 'rejected');
          assert.match(row.error!, pattern);
          assert.equal(row.reply!.levels['root'], 'INFO');
        }
        const table = await cli(['push', file, '--app', 'pushy'], env);
        assert.equal(table.code, 1);
        assert.match(table.stdout, /REJECTED/);
        assert.match(table.stderr, pattern);
        assert.ok(!existsSync(path));
        // Still logging with the old config.
        await Promise.all(
          children.map((c, i) =>
            until(
              () => /INFO app\.work \[MainProcess\]: info tick/.test(after(c, before[i]!)),
              20000,
              `child ${i} still logging`,
            ),
          ),
        );
      },
    );
  }

  test('a file handler inside the allow-list: applied, and the lines go to the file', { timeout: 90_000 }, async () => {
    const good = join(root, 'good.conf');
    const target = join(logs, 'app.log');
    writeFileSync(good, fileConfig(target));
    const push = await cli(['push', good, '--app', 'pushy', '--json'], env);
    assert.equal(push.code, 0, push.stdout + push.stderr);
    assert.ok(
      (JSON.parse(push.stdout) as TargetResult[]).every(
        (r) => r.status === 'ok' && r.reply!.levels['root'] === 'DEBUG',
      ),
    );
    await until(
      () => existsSync(target) && /FILE DEBUG app\.work: debug tick/.test(readFileSync(target, 'utf8')),
      20000,
      'lines in the file',
    );
    const status = await cli(['status', '--app', 'pushy', '--json'], env);
    for (const row of JSON.parse(status.stdout) as TargetResult[]) {
      assert.equal(row.reply!.status!.configSource, 'good.conf');
      assert.ok(row.reply!.status!.handlers.some((h) => h.class === 'FileHandler' && h.target === target));
    }
  });
});

function consoleConfig(tag: string, level: string, file: string): string {
  return `[loggers]
keys=root

[handlers]
keys=console,file

[formatters]
keys=plain

[formatter_plain]
format=${tag} %(levelname)s %(name)s: %(message)s

[handler_console]
class=StreamHandler
formatter=plain
args=(sys.stdout,)

[handler_file]
class=FileHandler
formatter=plain
args=(${JSON.stringify(file)},)

[logger_root]
level=${level}
handlers=console,file
`;
}

test('push --for returns to the base config file; revert; --disable-existing', { timeout: 120_000 }, async (t) => {
  const { root, env } = privateRuntime(t);
  const logs = join(root, 'logs');
  mkdirSync(logs);
  const base = join(root, 'base.conf');
  writeFileSync(base, consoleConfig('BASE', 'INFO', join(logs, 'base.log')));
  const temp = join(root, 'temp.conf');
  writeFileSync(temp, consoleConfig('TEMP', 'DEBUG', join(logs, 'temp.log')));
  const [child] = await startControlChildren(t, 1, env, () => ({ CTL_APP: 'based', CTL_BASE: base }));
  await child!.waitFor(/BASE INFO app\.work: info tick/);

  // Temporary push: the base config's directory is allowed by default.
  let mark = child!.stdout().length;
  const push = await cli(['push', temp, '--for', '1500ms', '--app', 'based', '--json'], env);
  assert.equal(push.code, 0, push.stdout + push.stderr);
  const [row] = JSON.parse(push.stdout) as TargetResult[];
  assert.equal(row!.reply!.override?.kind, 'apply');
  await until(() => /TEMP DEBUG app\.work: debug tick/.test(after(child!, mark)), 20000, 'temporary config');
  await until(() => /expired; back to the base configuration/.test(after(child!, mark)), 20000, 'expiry');
  const tail = after(child!, mark).slice(after(child!, mark).indexOf('expired; back to the base'));
  assert.doesNotMatch(tail.split('\n').slice(1).join('\n'), /TEMP/);
  let status = JSON.parse((await cli(['status', '--app', 'based', '--json'], env)).stdout) as TargetResult[];
  assert.equal(status[0]!.reply!.status!.override, null);
  assert.equal(status[0]!.reply!.status!.configSource, base);
  assert.ok(readFileSync(join(logs, 'temp.log'), 'utf8').includes('TEMP DEBUG'));

  // revert ends a temporary push early; with nothing active it says so.
  await cli(['push', temp, '--for', '1h', '--app', 'based'], env);
  mark = child!.stdout().length;
  const revert = await cli(['revert', '--app', 'based'], env);
  assert.equal(revert.code, 0, revert.stderr);
  assert.match(revert.stdout, /reverted/);
  await until(() => /BASE INFO app\.work: info tick/.test(after(child!, mark)), 20000, 'back to base');
  assert.match((await cli(['revert', '--app', 'based'], env)).stdout, /nothing to revert/);

  // Outside the base config's directory: refused.
  const outside = join(root, 'outside.conf');
  writeFileSync(outside, consoleConfig('OUT', 'DEBUG', join(root, 'elsewhere.log')));
  const refused = await cli(['push', outside, '--app', 'based'], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /outside the directories/);

  // Pushes keep loggers the file does not name; --disable-existing is Python's behaviour.
  await cli(['push', base, '--disable-existing', '--app', 'based'], env);
  status = JSON.parse((await cli(['status', '--app', 'based', '--json'], env)).stdout) as TargetResult[];
  assert.equal(status[0]!.reply!.status!.loggers.find((l) => l.name === 'app.work')?.disabled, true);
  await cli(['push', base, '--app', 'based'], env);
  status = JSON.parse((await cli(['status', '--app', 'based', '--json'], env)).stdout) as TargetResult[];
  assert.equal(status[0]!.reply!.status!.loggers.find((l) => l.name === 'app.work')?.disabled, false);
});
