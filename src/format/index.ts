/**
 * The format layer: Python's `Formatter` (`%`, `{`, `$` styles), the seed's `ColorFormatter`,
 * `JsonFormatter`, and `strftime`.
 */
export type { FormatContext, RecordFormatter } from './types.js';
export { FormatError } from './errors.js';
export { Formatter } from './formatter.js';
export { type FormatStyle, DEFAULT_FORMATS, validateFormat } from './styles.js';
export { ColorFormatter, COLOR_CODES, DEFAULT_LEVEL_COLORS, colorEnabledFor, stripSurroundingQuotes } from './color.js';
export {
  JsonFormatter,
  DEFAULT_JSON_KEYS,
  type JsonFormatterOptions,
  type JsonTimeFormat,
  type JsonPreset,
} from './json.js';
export { ECS_VERSION, pinoLevel, otelSeverity } from './json-presets.js';
export { errorObject, type SerializedError } from './serialize.js';
export {
  Redactor,
  RedactPathError,
  setRedaction,
  getRedaction,
  visibleFields,
  DEFAULT_CENSOR,
  type RedactOptions,
  type Censor,
} from './redaction.js';
export { keyValuePairs } from './key-values.js';
export { setTraceContext, type TraceIds } from './trace-context.js';
export { strftime } from './strftime.js';
