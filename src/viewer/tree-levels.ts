/**
 * Level changes the viewer's keys make, sent to exactly the processes the viewer started (found
 * by parent pid among the manifests of the runtime directory — never every process of an app
 * name), always temporary: each change carries a short ttl that the viewer renews while it runs,
 * so if the viewer dies the processes return to their own levels by themselves within the ttl;
 * `revert()` and quitting end it at once.
 */
import { localTargets, senderInfo, sendToAll, type TargetResult, type UnixTarget } from '../control/client.js';
import type { ControlCommand } from '../control/protocol.js';
import { descendants } from './proc-tree.js';

/** Turns the viewed program's levels up and down; answers with a short summary for the status line. */
export interface LevelControl {
  /** Sets these levels (`{ '': 'DEBUG', 'app.db': 'INFO' }`), temporarily. */
  set(levels: Record<string, string>): Promise<string>;
  revert(): Promise<string>;
  /** Reverts what this control changed (on quit). */
  close(): Promise<void>;
}

/** Default ttl of a change; renewed every third of it. */
export const LEVEL_TTL_MS = 30_000;

/** The status-line summary of a command's results. */
export function summarize(results: TargetResult[], what: string, nobody: string): string {
  if (results.length === 0) return nobody;
  const ok = results.filter((r) => r.status === 'ok').length;
  const failed = results.filter((r) => r.status !== 'ok');
  const firstError = failed[0]?.error ? `: ${failed[0].error}` : '';
  return `${what} on ${ok}/${results.length} process${results.length === 1 ? '' : 'es'}${failed.length ? `, ${failed.length} failed${firstError}` : ''}`;
}

/** How a change is named on the status line: `root → DEBUG`, `app.db → INFO`. */
function describe(levels: Record<string, string>): string {
  return Object.entries(levels)
    .map(([name, level]) => `${name === '' ? 'root' : name} → ${level}`)
    .join(', ');
}

export class TreeLevels implements LevelControl {
  private levels: Record<string, string> = {};
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The pid whose descendants are the viewed processes (undefined once it is gone). */
    private readonly root: () => number | undefined,
    private readonly ttlMs = LEVEL_TTL_MS,
  ) {}

  /** Manifests of processes below the viewer's program. */
  targets(): UnixTarget[] {
    const pid = this.root();
    if (pid === undefined) return [];
    const tree = descendants(pid);
    tree.add(pid);
    return localTargets().filter((t) => tree.has(t.manifest.pid));
  }

  private send(cmd: ControlCommand): Promise<TargetResult[]> {
    return sendToAll(this.targets(), { ...cmd, sender: senderInfo() }, { timeoutMs: 3000 });
  }

  async set(levels: Record<string, string>): Promise<string> {
    const results = await this.send({ op: 'set', levels, ttl: this.ttlMs });
    if (results.some((r) => r.status === 'ok')) {
      Object.assign(this.levels, levels);
      this.timer ??= setInterval(() => void this.renew(), Math.max(100, this.ttlMs / 3));
      this.timer.unref();
    }
    return summarize(
      results,
      describe(levels),
      'no process started by the viewer is listening yet (it needs LOGDIAL_LISTEN=1 or listen())',
    );
  }

  /** Sends the current levels again with a fresh ttl (also reaching processes started since). */
  private async renew(): Promise<void> {
    if (Object.keys(this.levels).length > 0) await this.send({ op: 'set', levels: this.levels, ttl: this.ttlMs });
  }

  async revert(): Promise<string> {
    this.stop();
    const results = await this.send({ op: 'revert' });
    return summarize(results, 'reverted', 'no process started by the viewer is listening');
  }

  async close(): Promise<void> {
    const changed = Object.keys(this.levels).length > 0;
    this.stop();
    if (changed) await this.send({ op: 'revert' });
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.levels = {};
  }
}
