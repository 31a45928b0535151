/**
 * A logger of its own for one test: a name no other test uses, `propagate` off (so the root's
 * handlers and other tests' loggers see nothing), DEBUG unless told, and the given handler attached.
 */
import { DEBUG } from '../../src/core/levels.js';
import { type Logger, type RecordHandler, getLogger } from '../../src/core/logger.js';

let counter = 0;

/** A fresh, non-propagating logger named `<prefix><n>`, at `level`, with `handler` (if any) attached. */
export function isolatedLogger(prefix: string, handler?: RecordHandler, level: number = DEBUG): Logger {
  const log = getLogger(`${prefix}${++counter}`);
  log.setLevel(level);
  log.propagate = false;
  if (handler) log.addHandler(handler);
  return log;
}
