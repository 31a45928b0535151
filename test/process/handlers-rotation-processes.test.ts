/**
 * Several processes rotating one file would lose lines (each renames the file under the others),
 * so only one process may rotate a given file: a second one is refused at configuration time with
 * the safe setups named; when the first ends (even killed) the file can be claimed again. The
 * one process that rotates keeps every line, and no file grows past maxBytes plus a line.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFixtures } from '../helpers/paths.js';
import { startChild } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const writer = join(compiledFixtures, 'rotating-writer.js');

test(
  'a second process may not rotate a file another live process rotates; a dead owner does not block',
  { timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'app.log');
    const first = startChild(t, process.execPath, [writer, file, '30000', '2000', 'A'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await first.waitFor('ready', 60_000);

    const second = startChild(t, process.execPath, [writer, file, '30000', '2000', 'B'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const refused = await second.exited;
    assert.equal(refused.code, 3, second.stdout() + second.stderr());
    assert.match(
      second.stdout(),
      new RegExp(
        `refused: .*handler 'r'.*is already rotated by process ${first.proc.pid}: several processes must not rotate one file.*WatchedFileHandler`,
      ),
    );

    // The first process is killed (no exit hook runs): its claim is stale and is taken over.
    first.proc.kill('SIGKILL');
    await first.exited;
    const third = startChild(t, process.execPath, [writer, file, '30000', '2000', 'C'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await third.waitFor('ready', 60_000);
    third.proc.stdin!.end();
    assert.equal((await third.exited).code, 0);
    assert.equal(existsSync(`${file}.rotation`), false, 'the claim is released at exit');

    // Every line of the rotating process is there, none torn, no file past maxBytes plus a line.
    const files = readdirSync(dir).filter((f) => f.startsWith('app.log') && !f.endsWith('.rotation'));
    const lines = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    const cLines = lines.filter((l) => l.startsWith('C '));
    assert.equal(new Set(cLines).size, 2000);
    for (const line of lines) assert.match(line, /^[AC] \d+ x{40}$/);
    for (const f of files)
      assert.ok(statSync(join(dir, f)).size <= 30000 + 60, `${f} is ${statSync(join(dir, f)).size} bytes`);
  },
);
