/**
 * logdial: logging whose configuration lives in files and can be changed in running processes.
 * @packageDocumentation
 */
// --- core -------------------------------------------------------------------------------------
export * from './core/levels.js';
export { LogRecord, isPlainObject } from './core/record.js';
export { Filter, Filterer, type FilterLike } from './core/filter.js';
export {
  Logger,
  getLogger,
  getRootLogger,
  getLoggers,
  disable,
  setLastResort,
  type RecordHandler,
  type LogCallOptions,
} from './core/logger.js';
export { getProcessName, setProcessName, getThreadName, setThreadName } from './core/process-info.js';
// --- format -----------------------------------------------------------------------------------
export type { RecordFormatter } from './format/types.js';
// --- handlers ---------------------------------------------------------------------------------
export { Handler, getLiveHandlers, setDefaultFormatter } from './handlers/handler.js';
// --- config -----------------------------------------------------------------------------------
// --- control ----------------------------------------------------------------------------------
export type * from './control/protocol.js';
