/** Python's `NullHandler`: accepts records and does nothing (for libraries). */
import type { LogRecord } from '../core/record.js';
import { Handler } from './handler.js';

/**
 * Does nothing. Libraries attach it to their top logger so that records find a handler and do
 * not reach the last-resort stderr output when the application configured no logging.
 */
export class NullHandler extends Handler {
  constructor() {
    super();
  }

  /** Always `undefined`: output goes nowhere. */
  override get target(): undefined {
    return undefined;
  }

  /** Skips filters and formatting entirely. */
  override handle(_record: LogRecord): boolean {
    return true;
  }

  override emit(_record: LogRecord): void {}
}
