/**
 * The handlers layer: Python's handler classes over a fast, lossless fd sink, and exit flushing.
 */
export { Handler, getLiveHandlers, setDefaultFormatter, NO_COLOR_CONTEXT } from './handler.js';
export {
  FdSink,
  type FdSinkOptions,
  type SinkEncoding,
  normalizeEncoding,
  sharedFdSink,
  PIPE_CHUNK,
  FILE_CHUNK,
} from './sink.js';
export { shutdown, flushAll, onSignalDeath } from './lifecycle.js';
export { StreamHandler, type StreamTarget } from './stream.js';
export { FileHandler, type FileHandlerOptions } from './file.js';
export { BaseRotatingHandler, RotatingFileHandler, type RotatingFileHandlerOptions } from './rotating.js';
export { TimedRotatingFileHandler, type TimedRotatingFileHandlerOptions, type AtTime } from './timed-rotating.js';
export { WatchedFileHandler } from './watched.js';
export {
  SysLogHandler,
  type SysLogHandlerOptions,
  type SyslogAddress,
  type SyslogSocketType,
  SYSLOG_UDP_PORT,
  SYSLOG_TCP_PORT,
} from './syslog.js';
export { MemoryHandler, type MemoryHandlerOptions } from './memory.js';
export { NullHandler } from './null.js';
