/**
 * The processes a process started, directly or not — found by parent pid, so a program that
 * daemonizes into another session or process group is still found while it runs.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every pid → parent pid pair on the system (Linux `/proc`, else `ps`). */
function parentsOfAll(): Map<number, number> {
  const parents = new Map<number, number>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(name), ppid);
      } catch {
        // Gone between the listing and the read.
      }
    }
    if (parents.size > 0) return parents;
  } catch {
    // No /proc (macOS, BSD).
  }
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const row of text.split('\n')) {
    const [pid, ppid] = row.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) parents.set(pid, ppid);
  }
  return parents;
}

/** The pids below `root` in the process tree (not `root` itself). */
export function descendants(root: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentsOfAll()) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = new Set<number>();
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Sends a signal to each pid, ignoring those already gone. */
export function signalAll(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
