/**
 * Loggers of their own for tests: a name no other test uses, `propagate` off (so the root's
 * handlers and other tests' loggers see nothing), DEBUG unless told, and the given handler attached;
 * and a handler that keeps what it is given.
 */
import { DEBUG } from '../../src/core/levels.js';
import { type Logger, type RecordHandler, getLogger } from '../../src/core/logger.js';
import type { LogRecord } from '../../src/core/record.js';
import { Handler } from '../../src/handlers/handler.js';

let counter = 0;

/** A fresh, non-propagating logger named `<prefix><n>`, at `level`, with `handler` (if any) attached. */
export function isolatedLogger(prefix: string, handler?: RecordHandler, level: number = DEBUG): Logger {
  const log = getLogger(`${prefix}${++counter}`);
  log.setLevel(level);
  log.propagate = false;
  if (handler) log.addHandler(handler);
  return log;
}

/** Keeps the records it handles; `lines()` formats them with its formatter when asked. */
export class CollectingHandler extends Handler {
  readonly records: LogRecord[] = [];

  emit(record: LogRecord): void {
    this.records.push(record);
  }

  lines(): string[] {
    return this.records.map((r) => this.format(r));
  }
}
