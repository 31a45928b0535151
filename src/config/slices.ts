/**
 * Work in slices: a step function written as a generator (`yield` between items) runs either to
 * the end at once ({@link runAll}, for callers that must stay synchronous) or in slices of a few
 * milliseconds with the event loop running in between ({@link runInSlices}, for a push that must
 * not stall the process it tunes). One code path, two drivers.
 *
 * Invariants: a slice ends at a `yield`, never inside an item; a slice that overruns its budget
 * by one item's cost is the bound. A sliced run starts and ends on a turn of the event loop of its
 * own, so it never adds a slice to what its caller does before or after it in the same turn (a
 * push reads its spec, then builds it, then swaps it in: three pieces, not one).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work between two pauses, in milliseconds. A garbage collection that falls inside a slice adds
 * its pause to it, so the longest stall is about this plus the longest minor GC.
 */
export const SLICE_BUDGET_MS = 1;

/** Runs every step now. */
export function runAll<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Waits for a whole turn of the event loop: timers and I/O run before the caller goes on. One
 * `setImmediate` is not enough: called from an I/O callback (a message from the push reader, a
 * command's frame) it runs in the same turn, right after that callback, and immediates queued
 * together (another sliced step, a broadcast to worker threads) run back to back in one turn.
 */
async function wholeTurn(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/** Runs the steps, letting the event loop run before each slice of `budgetMs` and after the last. */
export async function runInSlices<T>(steps: Generator<unknown, T>, budgetMs = SLICE_BUDGET_MS): Promise<T> {
  for (;;) {
    await wholeTurn();
    const started = performance.now();
    let next = steps.next();
    while (!next.done && performance.now() - started < budgetMs) next = steps.next();
    if (next.done) {
      await wholeTurn();
      return next.value;
    }
  }
}
