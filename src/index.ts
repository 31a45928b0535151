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
export { BoundLogger, LoggerAdapter, type Bindings, type ChildOptions } from './core/child.js';
export { withContext, getContext, type ContextFields } from './core/context.js';
// --- format -----------------------------------------------------------------------------------
export * from './format/index.js';
// --- handlers ---------------------------------------------------------------------------------
export {
  Handler,
  getLiveHandlers,
  setDefaultFormatter,
  shutdown,
  StreamHandler,
  FileHandler,
  BaseRotatingHandler,
  RotatingFileHandler,
  TimedRotatingFileHandler,
  WatchedFileHandler,
  SysLogHandler,
  MemoryHandler,
  NullHandler,
  SYSLOG_UDP_PORT,
  SYSLOG_TCP_PORT,
  type StreamTarget,
  type FileHandlerOptions,
  type RotatingFileHandlerOptions,
  type TimedRotatingFileHandlerOptions,
  type AtTime,
  type SysLogHandlerOptions,
  type SyslogAddress,
  type SyslogSocketType,
  type MemoryHandlerOptions,
} from './handlers/index.js';
// --- config -----------------------------------------------------------------------------------
// The parsers, the apply machinery and YAML load at first use (entry/config.ts).
export * from './entry/config.js';
export { basicConfig, BASIC_FORMATS, type BasicConfigOptions } from './config/basic-config.js';
// --- control ---------------------------------------------------------------------------------
// Only what an application calls, loaded on first use (entry/control.ts): `import 'logdial'` loads
// no control plane unless the environment asks for an endpoint or this is a worker thread.
// Clients, discovery and the wire format are in `logdial/control` (src/control/index.ts).
export type * from './control/protocol.js';
export type { ListenOptions, ListenHandle } from './control/listen.js';
export type { Target, UnixTarget, TcpTarget, TargetResult, SendOptions, SendAllOptions } from './control/client.js';
export type { DiscoveryFilter } from './control/discovery.js';
export { setTriggers, getTriggers, type TriggerDefinition, type TriggerScope } from './core/triggers.js';
import { whenWindowsNeeded } from './core/triggers.js';
import { startControlAtImport } from './entry/control.js';
export { listen, listenFromEnv, executeCommand } from './entry/control.js';
// A trigger's window of detail is a temporary override: the control layer opens it, loaded when
// a trigger with a window is configured.
whenWindowsNeeded(() => import('./control/trigger-window.js'));
startControlAtImport();
