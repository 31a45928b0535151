/**
 * Work in slices: a step function written as a generator (`yield` between items) runs either to
 * the end at once ({@link runAll}, for callers that must stay synchronous) or in slices of a few
 * milliseconds with the event loop running in between ({@link runInSlices}, for a push that must
 * not stall the process it tunes). One code path, two drivers.
 *
 * Invariant: a slice ends at a `yield`, never inside an item; a slice that overruns its budget
 * by one item's cost is the bound.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work between two pauses, in milliseconds. */
export const SLICE_BUDGET_MS = 2;

/** Runs every step now. */
export function runAll<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps, letting the event loop run whenever a slice has used up `budgetMs`. */
export async function runInSlices<T>(steps: Generator<unknown, T>, budgetMs = SLICE_BUDGET_MS): Promise<T> {
  let started = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - started >= budgetMs) {
      await nextTurn();
      started = performance.now();
    }
  }
}
