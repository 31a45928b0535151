/**
 * Control messages: what the CLI (or a bus client) asks a process, and what the process answers.
 * Transport-neutral: the Unix socket, TCP and Redis bus all carry these same objects as JSON.
 */

/** Config text formats a process accepts. */
export type ConfigFormat = 'ini' | 'json' | 'yaml';

/** Is the process alive? Answers with identity only. */
export interface PingCommand {
  op: 'ping';
}
/** Logger tree, handlers, config source, active override. */
export interface StatusCommand {
  op: 'status';
}
/** Replace the configuration with this text (validated, all-or-nothing). */
export interface ApplyCommand {
  op: 'apply';
  config: string;
  format: ConfigFormat;
  /** Where the text came from, for logs and status (a file name). */
  source?: string;
  /** Milliseconds after which the process returns to its base configuration by itself. */
  ttl?: number;
  /** Python's behaviour: disable every existing logger the config does not name (default false for pushes). */
  disableExisting?: boolean;
}
/** Set logger levels: `{ 'app.db': 'DEBUG', '': 'INFO' }` ('' or 'root' is the root logger). */
export interface SetLevelsCommand {
  op: 'set';
  levels: Record<string, string | number>;
  ttl?: number;
}
/** Drop any override and return to the base configuration. */
export interface RevertCommand {
  op: 'revert';
}

export type ControlCommand = PingCommand | StatusCommand | ApplyCommand | SetLevelsCommand | RevertCommand;
export type ControlOp = ControlCommand['op'];

/** Who asked, for the process's own log line about the change. */
export interface Requester {
  via: 'unix' | 'tcp' | 'legacy' | 'bus' | 'local';
  pid?: number;
  uid?: number;
  address?: string;
  /** A bus client's id. */
  client?: string;
}

/** Identity of a process, as in its manifest and every reply. */
export interface ProcessIdentity {
  pid: number;
  app: string;
  processName: string;
  host: string;
  startedAt: string;
  version: string;
}

/** An error as the sender sees it. */
export interface ReplyError {
  message: string;
  /** `file:line` (INI) or a path such as `handlers.console.class` (JSON/YAML). */
  location?: string;
}

/** The active temporary change, if any. */
export interface OverrideInfo {
  kind: 'apply' | 'set';
  description: string;
  expiresAt: string;
  remainingMs: number;
}

/** One logger in `status`. */
export interface LoggerStatus {
  name: string;
  /** Level set on the logger (NOTSET when inherited). */
  level: string;
  effectiveLevel: string;
  propagate: boolean;
  disabled: boolean;
  handlers: string[];
}

/** One handler in `status`. */
export interface HandlerStatus {
  name: string | null;
  class: string;
  level: string;
  target?: string;
  formatter?: string;
}

/** The body of a `status` reply. */
export interface StatusInfo {
  loggers: LoggerStatus[];
  handlers: HandlerStatus[];
  configSource: string | null;
  override: OverrideInfo | null;
}

/** What a process answers to any command. */
export interface ControlReply {
  ok: boolean;
  op: ControlOp;
  /** `applied`, `rejected`, `reverted`, `pong`, … in words a table can show. */
  result: string;
  process: ProcessIdentity;
  error?: ReplyError;
  /** Effective levels of every configured logger after the command (`root` for the root). */
  levels: Record<string, string>;
  override: OverrideInfo | null;
  status?: StatusInfo;
}
