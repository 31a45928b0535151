/**
 * Control messages: what the CLI (or a bus client) asks a process, and what the process answers.
 * Transport-neutral: the Unix socket, TCP and Redis bus all carry these same objects as JSON.
 */

/** Config text formats a process accepts. */
export type ConfigFormat = 'ini' | 'json' | 'yaml';

/**
 * Who sends a command, as the sender claims it. On the Unix socket the uid is enforced by the
 * runtime directory's permissions (0700, owner only), the pid is taken on trust (Node does not
 * expose SO_PEERCRED); on TCP both are claims, authenticated only as far as the HMAC secret goes.
 */
export interface SenderInfo {
  pid?: number;
  uid?: number;
  user?: string;
  host?: string;
}

/** Fields every command may carry. */
export interface CommandBase {
  /** The sender's own identity, for the process's log line about the change. */
  sender?: SenderInfo;
  /**
   * When the sender stops waiting for the reply: milliseconds since the epoch on the receiver's
   * clock. A command read later is rejected, not carried out (see `control/deadline.ts`).
   */
  deadline?: number;
}

/** Is the process alive? Answers with identity only. */
export interface PingCommand extends CommandBase {
  op: 'ping';
}
/** Logger tree, handlers, config source, active override. */
export interface StatusCommand extends CommandBase {
  op: 'status';
}
/** Replace the configuration with this text (validated, all-or-nothing). */
export interface ApplyCommand extends CommandBase {
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
export interface SetLevelsCommand extends CommandBase {
  op: 'set';
  levels: Record<string, string | number>;
  ttl?: number;
  /** Create loggers the process does not have yet (default: a name it does not know is rejected). */
  create?: boolean;
}
/** Drop any override and return to the base configuration. */
export interface RevertCommand extends CommandBase {
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
  /** The sender's user name, when it said so. */
  user?: string;
  /** The sender's host, when it said so. */
  host?: string;
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
  /** Who asked for it, as the process logged it (`user alice pid 42 via unix`); absent from older peers. */
  requestedBy?: string;
}

/** One logger in `status`. */
export interface LoggerStatus {
  name: string;
  /** Level set on the logger (NOTSET when inherited); in the library's words for pino/winston loggers. */
  level: string;
  effectiveLevel: string;
  propagate: boolean;
  disabled: boolean;
  handlers: string[];
  /** Set for a pino or winston logger that follows this logger (`winston-transport`: a transport's own level). */
  kind?: 'pino' | 'winston' | 'winston-transport';
  /** For pino/winston loggers: `level` and `effectiveLevel` as Python numbers. */
  levelNo?: number;
  effectiveLevelNo?: number;
  /** winston: its transports, each with the logger that holds its level (`app/console`). */
  transports?: Array<{ name: string; logger: string; level: string }>;
}

/** A part of a pushed configuration that could not apply (handlers of a pino logger, …). */
export interface NotApplied {
  /** What: `loggers.app.handlers`, `handlers.file`, `formatters.json`. */
  item: string;
  /** Why it could not apply. */
  reason: string;
  /** Where it is written (`push.conf:12`, `push.json at loggers.app.handlers`). */
  location?: string;
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
  /** The triggers configured, one line each (docs/configuration.md, "Triggers"); absent when none. */
  triggers?: string[];
}

/** What a process answers to any command. */
export interface ControlReply {
  ok: boolean;
  /** The command's op; `unknown` when the payload was not a command at all. */
  op: ControlOp | 'unknown';
  /** `applied`, `rejected`, `reverted`, `pong`, … in words a table can show. */
  result: string;
  process: ProcessIdentity;
  error?: ReplyError;
  /** Effective levels of every configured logger after the command (`root` for the root). */
  levels: Record<string, string>;
  override: OverrideInfo | null;
  status?: StatusInfo;
  /** For `apply`: the parts of the configuration that could not apply (the rest did). */
  notApplied?: NotApplied[];
}

/** The manifest a process writes next to its socket in the runtime directory. */
export interface Manifest extends ProcessIdentity {
  /** Path of the Unix socket. */
  socket: string;
  /** TCP port, when the process also listens on TCP. */
  port?: number;
  /** TCP host, when the process also listens on TCP. */
  tcpHost?: string;
  /** True when the TCP endpoint accepts Python's bare frames. */
  legacy?: boolean;
}

/**
 * The line a logdial TCP endpoint sends first (`LOGDIAL/1 {json}\n`). Python's listener never
 * sends anything, which is how a scan tells the two apart.
 */
export interface Hello {
  logdial: 1;
  /** Fresh random challenge; an authenticated command carries HMAC(secret, nonce + "\n" + command). */
  nonce: string;
  /** `hmac-sha256` when commands must be authenticated, `null` otherwise. */
  auth: 'hmac-sha256' | null;
  legacy: boolean;
  pid: number;
  app: string;
  processName: string;
  /** The server's clock (ms since the epoch) when it greeted: how a client puts a deadline on its clock. */
  now?: number;
}

/** A command wrapped with its HMAC, as sent on an authenticated TCP endpoint. */
export interface AuthenticatedEnvelope {
  /** The command, as JSON text (the exact bytes the MAC covers). */
  command: string;
  /** Hex HMAC-SHA256 over `nonce + "\n" + command`. */
  mac: string;
}

/**
 * The reply of a refused command: every transport and `executeCommand` build it here, so a sender
 * sees one shape whichever way the refusal came. `levels` and `override` are what the process
 * knows at the time (empty where the refusal came before any command ran).
 */
export function rejectionReply(
  op: ControlReply['op'],
  error: string | ReplyError,
  process: ProcessIdentity,
  state: { levels?: Record<string, string>; override?: OverrideInfo | null } = {},
): ControlReply {
  return {
    ok: false,
    op,
    result: 'rejected',
    process,
    error: typeof error === 'string' ? { message: error } : error,
    levels: state.levels ?? {},
    override: state.override ?? null,
  };
}
