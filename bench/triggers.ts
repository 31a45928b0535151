/**
 * Triggers (`--only triggers`): what a backfill ring costs a DEBUG call below the level, next to
 * the plain disabled call; the heap of a full ring; the time to flush one. Measured in a child
 * per measurement (bench/triggers-target.js, with --expose-gc so heap figures are after a
 * collection; a fresh process each, so no call site has seen another measurement's loggers).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchDir } from './common.js';

export async function run(options: { quick: boolean; log: (text: string) => void }): Promise<unknown> {
  options.log('    triggers: calls below the level, ring memory, flush\n');
  const r: Record<string, number> = {};
  for (const mode of ['plain', 'ring', 'outside', 'again', 'memory']) {
    const args = ['--expose-gc', join(benchDir(), 'triggers-target.js'), mode, ...(options.quick ? ['--quick'] : [])];
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
    if (result.status !== 0) throw new Error(`triggers-target ${mode} failed: ${result.stderr.slice(-500)}`);
    Object.assign(r, JSON.parse(result.stdout) as Record<string, number>);
  }
  const ns = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  const ms = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  const mb = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  return await Promise.resolve({
    table: {
      header: ['measurement', 'value'],
      rows: [
        ["log.debug('…%d', i) on an INFO logger, no trigger (ns/call)", ns(r['plain'])],
        ['the same, a trigger with backfill 200 over the logger (ns/call)', ns(r['ring'])],
        ['the same on a logger outside the trigger (ns/call)', ns(r['outside'])],
        ['no trigger again, after removing it (ns/call)', ns(r['plainAgain'])],
        ['heap of a full ring of 1,000 records (MB)', mb(r['heap1000'])],
        ['heap of a full ring of 10,000 records (MB)', mb(r['heap10000'])],
        ['flush of 1,000 records, formatted, written nowhere (ms)', ms(r['flush1000'])],
        ['flush of 10,000 records (ms)', ms(r['flush10000'])],
      ],
    },
    note: 'A ring makes a record per call below the level (arguments kept, formatting deferred to a flush); without a trigger, and on loggers outside every trigger, the call is the plain disabled one.',
  });
}
