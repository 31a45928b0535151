/**
 * Level-change listeners: called after every change of a logger's level or disabled flag (and of
 * `disable()`), once the cached thresholds are up to date. Loggers of other libraries that follow
 * logdial's levels (src/adapters/) subscribe here; level changes are rare, so the listeners run
 * off the hot path.
 *
 * Invariants: a listener that throws is reported on stderr and never stops the change or the
 * other listeners; a listener added during a notification is first called at the next change.
 */

type Listener = () => void;

const listeners = new Set<Listener>();

/** Calls `fn` after every level change; returns the function that unsubscribes it. */
export function onLevelChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

/** @internal Runs the listeners (core/logger.ts calls it after refreshing thresholds). */
export function levelsChanged(): void {
  if (listeners.size === 0) return;
  for (const fn of [...listeners]) {
    try {
      fn();
    } catch (error) {
      process.stderr.write(
        `logdial: a level-change listener failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }
}
