import type { LogRecord } from '../core/record.js';

/** What the handler knows about its destination that a formatter may use. */
export interface FormatContext {
  /** True when colour codes should be written (a TTY without `NO_COLOR`, or `FORCE_COLOR`). */
  readonly color: boolean;
}

/** What handlers need from a formatter. */
export interface RecordFormatter {
  /** Renders a record (without the trailing newline); may span lines for stacks. */
  format(record: LogRecord, context?: FormatContext): string;
  /** True when the format uses caller fields, so log calls must capture a stack. */
  readonly usesCaller: boolean;
}
