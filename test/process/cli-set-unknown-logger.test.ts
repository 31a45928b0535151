/**
 * Typos do not look applied: `set` on a logger the process does not have is rejected (the reply
 * says so, nothing changes, the CLI exits 1) unless `--create` is given; and every exit code the
 * CLI gives here is the one docs/cli.md's table gives (one truth: the test reads the table).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { repoRoot } from '../helpers/paths.js';
import { cli, privateRuntime, startControlChild } from '../fixtures/control-helpers.js';

/** docs/cli.md's exit-code table: code → its "when" text. */
function documentedExitCodes(): Map<number, string> {
  const text = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const section = text.slice(text.indexOf('## Exit codes'));
  const codes = new Map<number, string>();
  for (const m of section.matchAll(/^\| (\d) \| (.*) \|$/gm)) codes.set(Number(m[1]), m[2]!);
  return codes;
}

/** The documented code whose row mentions `phrase`. */
function documentedCode(phrase: string): number {
  const found = [...documentedExitCodes()].filter(([, when]) => when.includes(phrase));
  assert.equal(found.length, 1, `exactly one row of docs/cli.md's exit codes mentions ${phrase}`);
  return found[0]![0];
}

test(
  'set on a logger the process does not have is rejected unless --create; exit codes as documented',
  { timeout: 90_000 },
  async (t) => {
    const { env } = privateRuntime(t);
    await startControlChild(t, env, { CTL_APP: 'typo' });

    const typo = await cli(['set', 'app.wrok=DEBUG', '--app', 'typo'], env);
    assert.equal(typo.code, documentedCode('without `--create`'), typo.stdout + typo.stderr);
    assert.equal(typo.code, 1);
    assert.match(typo.stdout, /REJECTED/);
    assert.match(typo.stderr, /no logger named 'app\.wrok' in this process; nothing was changed .*add --create/);
    const status = await cli(['status', '--app', 'typo', '--json'], env);
    const rows = JSON.parse(status.stdout) as TargetResult[];
    assert.ok(!rows[0]!.reply!.status!.loggers.some((l) => l.name === 'app.wrok'), 'the typo created a logger');

    // Existing names pass; with --create a new one is made (a change is all-or-nothing either way).
    const mixed = await cli(['set', 'app.work=DEBUG', 'app.later=DEBUG', '--app', 'typo', '--json'], env);
    assert.equal(mixed.code, 1);
    assert.equal(
      (JSON.parse(mixed.stdout) as TargetResult[])[0]!.reply!.levels['app.work'],
      undefined,
      'half of a rejected set was applied',
    );
    const created = await cli(['set', 'app.work=DEBUG', 'app.later=DEBUG', '--create', '--app', 'typo', '--json'], env);
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.equal((JSON.parse(created.stdout) as TargetResult[])[0]!.reply!.levels['app.later'], 'DEBUG');

    // A bad level: the code docs/cli.md gives for it, and nothing sent.
    const level = await cli(['set', 'app.db=DEBG', '--app', 'typo'], env);
    assert.equal(level.code, documentedCode('a bad `LOGGER=LEVEL`'), level.stderr);
    assert.match(level.stderr, /nothing was sent/);
    // The documented codes are these three, and --help says the same.
    assert.deepEqual([...documentedExitCodes().keys()], [0, 1, 2]);
    const help = await cli(['--help'], env);
    assert.match(help.stdout, /2 bad usage \(a bad option or LOGGER=LEVEL/);
  },
);
