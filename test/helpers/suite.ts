/**
 * Cleanups for the set-up a `describe` shares between its tests: helpers that take a test's
 * context (`startChild`, `tempDir`, `startRedis`, …) can be given this in a `before` hook.
 */
import { after, type TestContext } from 'node:test';

/** Call in a `describe` body: what is registered on it runs after the suite's last test, newest first. */
export function suiteCleanup(): Pick<TestContext, 'after'> {
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return { after: (fn) => void cleanups.push(fn as () => unknown) };
}
