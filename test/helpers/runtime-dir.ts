import type { TestContext } from 'node:test';
import { discover } from '../../src/control/discovery.js';
import { signalAll } from '../../src/viewer/proc-tree.js';
import { tempDir } from './tmp.js';

/**
 * A temporary runtime directory whose listening processes are all killed when the test ends —
 * before the directory is removed (after-hooks run in the order they were added), so processes
 * that outlive their parent (a killed viewer's program) are found and never left running.
 */
export function runtimeDirKilledAfter(t: Pick<TestContext, 'after'>): string {
  const holder: { dir?: string } = {};
  t.after(() => {
    if (holder.dir !== undefined)
      signalAll(
        discover({ dir: holder.dir }).map((m) => m.pid),
        'SIGKILL',
      );
  });
  holder.dir = tempDir(t);
  return holder.dir;
}
