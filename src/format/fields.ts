/**
 * How a format reads a field from a record, and how a value reads as Python's `str()` / `repr()`.
 *
 * Every field name is resolved once, when the format is compiled, into a reader: record fields
 * are direct property reads; any other name is looked up, in Python's order, in the record's
 * structured fields (Python's `extra=`), attributes a filter set on the record, then the
 * formatter's `defaults`.
 */
import { pyRepr, pyStr } from '../core/printf.js';
import { asciiEscape, pyNumberText, pyTypeName } from '../core/py-text.js';
import { isPlainObject, type LogRecord } from '../core/record.js';
import { FormatError } from './errors.js';
import { pyFloatRepr } from '../core/py-number.js';
import { visibleFields } from './redaction.js';
import { keyValuePairs } from './key-values.js';
import { traceIdsOf, wantTraceIds } from './trace-context.js';

export { pyTypeName };

/**
 * What the formatter knows statically about a field's value, so the common cases skip type
 * checks: `string` fields are used as they are; `float` fields print like Python floats
 * (`825.0`); `tuple` is `args`; `any` is checked at run time.
 */
export type FieldKind = 'string' | 'int' | 'float' | 'tuple' | 'any';

/** Reads one field from a record (throws {@link FormatError} for a missing field). */
export interface FieldReader {
  readonly name: string;
  readonly kind: FieldKind;
  readonly read: (record: LogRecord) => unknown;
}

type AnyRecord = LogRecord & Record<string, unknown>;

const RECORD_READERS: Record<string, [FieldKind, (record: AnyRecord) => unknown]> = {
  name: ['string', (r) => r.name],
  levelname: ['string', (r) => r.levelname],
  levelno: ['int', (r) => r.levelno],
  message: ['string', (r) => r.getMessage()],
  msg: ['any', (r) => r.msg],
  args: ['tuple', (r) => recordArgs(r.args)],
  asctime: ['string', (r) => r.asctime],
  created: ['float', (r) => r.created],
  msecs: ['float', (r) => r.msecs],
  relativeCreated: ['float', (r) => r.relativeCreated],
  process: ['int', (r) => r.process],
  processName: ['string', (r) => r.processName],
  thread: ['int', (r) => r.thread],
  threadName: ['string', (r) => r.threadName],
  module: ['string', (r) => r.module],
  funcName: ['string', (r) => r.funcName],
  filename: ['string', (r) => r.filename],
  pathname: ['string', (r) => r.pathname],
  lineno: ['int', (r) => r.lineno],
  // Python's exc_info is the (type, value, traceback) triple; here it is the Error itself.
  exc_info: ['any', (r) => r.exc ?? null],
  exc_text: ['any', (r) => r.exc_text ?? null],
  stack_info: ['any', (r) => r['stack_info'] ?? null],
  // Python 3.12's asyncio task name; there is no equivalent, so it is always None.
  taskName: ['any', (r) => r['taskName'] ?? null],
  // Every structured field (context, bindings, the call's own) as `key=value` pairs; '' when none.
  fields: ['string', (r) => keyValuePairs(visibleFields(r))],
  // The active OpenTelemetry span's ids; '' outside a span or without OpenTelemetry.
  trace_id: ['string', (r) => traceIdsOf(r)?.trace_id ?? ''],
  span_id: ['string', (r) => traceIdsOf(r)?.span_id ?? ''],
  // 'backfill' on a record a trigger emitted late (core/triggers.ts), '' on every other.
  backfill: ['string', (r) => (r.backfill === true ? 'backfill' : '')],
  trace_flags: ['string', (r) => traceIdsOf(r)?.trace_flags ?? ''],
};

/** True for the names of the record's own fields (`levelname`, `lineno`, …), false for structured fields. */
export function isRecordField(name: string): boolean {
  return Object.hasOwn(RECORD_READERS, name);
}

/** Own properties of LogRecord that are implementation details, not fields a format may name. */
const INTERNAL_PROPERTIES: ReadonlySet<string> = new Set([
  'resolvedMessage',
  'structured',
  'caller',
  'callSite',
  'exc',
  'callerInfo',
]);

/** Python's `KeyError` turned into the formatter's `ValueError`, with the same text. */
export function missingField(name: string): FormatError {
  return new FormatError(`Formatting field not found in record: ${pyRepr(name)}`);
}

/**
 * A reader for `name`; `defaults` (Python's `defaults=`) supply fields the record lacks. A field
 * the record lacks throws {@link FormatError}, or with `lenient` reads as `undefined` (for the
 * JSON formatter, which leaves such keys out: an Error per record would cost microseconds).
 */
export function fieldReader(
  name: string,
  defaults: Readonly<Record<string, unknown>> | undefined,
  lenient = false,
): FieldReader {
  const known = RECORD_READERS[name];
  if (known && Object.hasOwn(RECORD_READERS, name)) {
    if (name === 'trace_id' || name === 'span_id' || name === 'trace_flags') wantTraceIds();
    return { name, kind: known[0], read: known[1] as (record: LogRecord) => unknown };
  }
  const hasDefault = defaults !== undefined && Object.hasOwn(defaults, name);
  const fallback = hasDefault ? defaults[name] : undefined;
  const internal = INTERNAL_PROPERTIES.has(name);
  return {
    name,
    kind: 'any',
    read(record: LogRecord): unknown {
      const fields = visibleFields(record);
      if (fields !== undefined && Object.hasOwn(fields, name)) return fields[name];
      // A filter may set attributes on the record, as Python filters do (`record.request_id = …`).
      if (!internal && Object.hasOwn(record, name)) return (record as AnyRecord)[name];
      if (hasDefault) return fallback;
      if (lenient) return undefined;
      throw missingField(name);
    },
  };
}

/**
 * Python's `record.args`: a single non-empty mapping argument is the mapping itself (LogRecord's
 * rule, so `%(args)s` shows `{'a': 1}`), anything else the tuple of arguments.
 */
function recordArgs(args: readonly unknown[]): unknown {
  if (args.length === 1) {
    const only = args[0];
    if (isPlainObject(only) && Object.keys(only).length > 0) return only;
  }
  return args;
}

/** Python's `repr` of a tuple (`('a', 1)`, `('a',)`, `()`), used for `args`. */
export function pyTupleRepr(items: readonly unknown[]): string {
  if (items.length === 1) return `(${pyValueRepr(items[0], 'any')},)`;
  return `(${items.map((item) => pyValueRepr(item, 'any')).join(', ')})`;
}

/**
 * Python's `str()` of a number: float fields and non-integral numbers print as Python floats
 * (`825.0`, `1e-05`), integral numbers as Python ints (every digit, as the exact integer the double holds).
 */
export function pyNumberStr(value: number, kind: FieldKind): string {
  return kind === 'float' ? pyFloatRepr(value) : pyNumberText(value);
}

/** Python's `str()` of a field value: `None`, `True`, `825.0` for float fields, objects inspected. */
export function pyValueStr(value: unknown, kind: FieldKind): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return pyNumberStr(value, kind);
  if (kind === 'tuple') return Array.isArray(value) ? pyTupleRepr(value) : pyRepr(value);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  // str(exception) is its message in Python; the stack belongs to exc_text.
  if (value instanceof Error) return value.message;
  return pyStr(value);
}

/** Python's `repr()` of a field value. */
export function pyValueRepr(value: unknown, kind: FieldKind): string {
  if (typeof value === 'number') return pyNumberStr(value, kind);
  if (kind === 'tuple' && Array.isArray(value)) return pyTupleRepr(value);
  return pyRepr(value);
}

/** Python's `ascii()`: `repr()` with non-ASCII characters escaped. */
export function pyValueAscii(value: unknown, kind: FieldKind): string {
  return asciiEscape(pyValueRepr(value, kind));
}
