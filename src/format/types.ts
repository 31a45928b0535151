import type { LogRecord } from '../core/record.js';

/** What handlers need from a formatter. */
export interface RecordFormatter {
  /** Renders a record as one line (without the trailing newline); may span lines for stacks. */
  format(record: LogRecord): string;
  /** True when the format uses caller fields, so log calls must capture a stack. */
  readonly usesCaller: boolean;
}
