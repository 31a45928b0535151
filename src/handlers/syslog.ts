/**
 * Python's `SysLogHandler`: `<PRI>message\0` to a syslog daemon over UDP, TCP or a unix stream
 * socket.
 *
 * Node's core has no unix *datagram* sockets (`dgram` is UDP only), so a unix path (`/dev/log`)
 * is reached with a unix *stream* connection; a daemon listening only on a datagram socket
 * (journald's `/dev/log`) refuses it (`EPROTOTYPE`), which is reported once like any other
 * error — use UDP to `localhost:514` (rsyslog `imudp`) or a stream socket (`imuxsock` alternative,
 * syslog-ng `unix-stream()`) there. Sends are asynchronous: messages logged in the very last
 * tick before `process.exit()` may not leave the process.
 */
import type { Socket as DgramSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import type { LogRecord } from '../core/record.js';
import { Handler } from './handler.js';

/** Datagrams handed to the OS asynchronously and not yet sent, beyond which records are dropped. */
const MAX_PENDING_DATAGRAMS = 10_000;
/** Bytes queued on a stream socket, beyond which records are dropped. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Python's syslog port. */
export const SYSLOG_UDP_PORT = 514;
export const SYSLOG_TCP_PORT = 514;

/** Where syslog messages go: `[host, port]`, `{ host, port }`, or a unix socket path. */
export type SyslogAddress = readonly [string, number] | { host: string; port?: number } | string;

/**
 * Transport: `'udp'`/`'dgram'` (or Python's `socket.SOCK_DGRAM` = 2), `'tcp'`/`'stream'`
 * (`socket.SOCK_STREAM` = 1). Unix paths always use a stream connection.
 */
export type SyslogSocketType = 'udp' | 'tcp' | 'dgram' | 'stream' | 1 | 2 | null;

/** Options of {@link SysLogHandler}. */
export interface SysLogHandlerOptions {
  /** Default `['localhost', 514]`; a string is a unix socket path such as `/dev/log`. */
  address?: SyslogAddress;
  /** Facility name (`'user'`, `'local0'`, …) or number (`SysLogHandler.LOG_LOCAL0`); default `user`. */
  facility?: string | number;
  /** Transport for host addresses; default UDP. */
  socktype?: SyslogSocketType;
  /**
   * Framing on stream transports: `'nul'` (default, Python: the message ends with `\0`),
   * `'octet-counting'` (RFC 6587 `LEN SP MSG`, for rsyslog/syslog-ng TCP), or `'newline'`.
   */
  framing?: 'nul' | 'octet-counting' | 'newline';
}

const priorityNames: Record<string, number> = {
  alert: 1,
  crit: 2,
  critical: 2,
  debug: 7,
  emerg: 0,
  err: 3,
  error: 3,
  info: 6,
  notice: 5,
  panic: 0,
  warn: 4,
  warning: 4,
};

const facilityNames: Record<string, number> = {
  auth: 4,
  authpriv: 10,
  console: 14,
  cron: 9,
  daemon: 3,
  ftp: 11,
  kern: 0,
  lpr: 6,
  mail: 2,
  news: 7,
  ntp: 12,
  security: 13,
  'solaris-cron': 15,
  syslog: 5,
  user: 1,
  uucp: 8,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

const priorityMap: Record<string, string> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
};

function lookupName(table: Record<string, number>, name: string, what: string): number {
  let key = name.toLowerCase();
  if (key.startsWith('log_')) key = key.slice(4); // 'LOG_LOCAL0' as a name
  const value = table[key];
  if (value === undefined) throw new Error(`unknown syslog ${what} '${name}'`);
  return value;
}

/** Sends each record as one syslog message (Python's format: `<PRI>` + formatted record + NUL). */
export class SysLogHandler extends Handler {
  static readonly LOG_EMERG = 0;
  static readonly LOG_ALERT = 1;
  static readonly LOG_CRIT = 2;
  static readonly LOG_ERR = 3;
  static readonly LOG_WARNING = 4;
  static readonly LOG_NOTICE = 5;
  static readonly LOG_INFO = 6;
  static readonly LOG_DEBUG = 7;
  static readonly LOG_KERN = 0;
  static readonly LOG_USER = 1;
  static readonly LOG_MAIL = 2;
  static readonly LOG_DAEMON = 3;
  static readonly LOG_AUTH = 4;
  static readonly LOG_SYSLOG = 5;
  static readonly LOG_LPR = 6;
  static readonly LOG_NEWS = 7;
  static readonly LOG_UUCP = 8;
  static readonly LOG_CRON = 9;
  static readonly LOG_AUTHPRIV = 10;
  static readonly LOG_FTP = 11;
  static readonly LOG_NTP = 12;
  static readonly LOG_SECURITY = 13;
  static readonly LOG_CONSOLE = 14;
  static readonly LOG_SOLCRON = 15;
  static readonly LOG_LOCAL0 = 16;
  static readonly LOG_LOCAL1 = 17;
  static readonly LOG_LOCAL2 = 18;
  static readonly LOG_LOCAL3 = 19;
  static readonly LOG_LOCAL4 = 20;
  static readonly LOG_LOCAL5 = 21;
  static readonly LOG_LOCAL6 = 22;
  static readonly LOG_LOCAL7 = 23;
  static readonly priority_names: Readonly<Record<string, number>> = priorityNames;
  static readonly facility_names: Readonly<Record<string, number>> = facilityNames;
  static readonly priority_map: Readonly<Record<string, string>> = priorityMap;

  /** Prepended to every message (Python's `ident`, e.g. `'myapp: '`). */
  ident = '';
  /** Append a NUL byte (Python's `append_nul`; old daemons expect it). */
  appendNul = true;
  /** Facility number. */
  readonly facility: number;
  /** Unix socket path, or `undefined` for host addresses. */
  readonly path: string | undefined;
  readonly host: string;
  readonly port: number;
  /** `'udp'` or `'tcp'`; unix paths use `'unix'` (stream). */
  readonly transport: 'udp' | 'tcp' | 'unix';
  readonly framing: 'nul' | 'octet-counting' | 'newline';
  private udp: DgramSocket | null = null;
  private stream: Socket | null = null;
  private pendingSends = 0;
  /** True once a record was written to the current stream socket. */
  private streamUsed = false;

  constructor(options: SysLogHandlerOptions = {}) {
    super();
    const address = options.address ?? ['localhost', SYSLOG_UDP_PORT];
    const facility = options.facility ?? 'user';
    this.facility = typeof facility === 'number' ? facility : lookupName(facilityNames, facility, 'facility');
    if (!Number.isInteger(this.facility) || this.facility < 0 || this.facility > 23)
      throw new Error(`invalid syslog facility ${facility}`);
    this.framing = options.framing ?? 'nul';
    const socktype = options.socktype ?? null;
    const stream = socktype === 'tcp' || socktype === 'stream' || socktype === 1;
    if (socktype !== null && !stream && socktype !== 'udp' && socktype !== 'dgram' && socktype !== 2) {
      throw new Error(`invalid syslog socktype ${String(socktype)} (use 'udp' or 'tcp')`);
    }
    if (typeof address === 'string') {
      this.path = address;
      this.host = '';
      this.port = 0;
      this.transport = 'unix';
    } else {
      const [host, port] = Array.isArray(address)
        ? [address[0] as string, address[1] as number]
        : [(address as { host: string }).host, (address as { port?: number }).port ?? SYSLOG_UDP_PORT];
      if (typeof host !== 'string' || !Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new Error(`invalid syslog address ${JSON.stringify(address)}`);
      }
      this.host = host;
      this.port = port;
      this.transport = stream ? 'tcp' : 'udp';
    }
    // Python connects in the constructor but tolerates a daemon that is not up yet: a failed
    // first connection is reported only if a record was written to it.
    this.createSocket(true);
  }

  /** `udp://host:port`, `tcp://host:port` or `unix:///dev/log`. */
  override get target(): string {
    return this.transport === 'unix' ? `unix://${this.path}` : `${this.transport}://${this.host}:${this.port}`;
  }

  /** Python's `encodePriority`: `(facility << 3) | priority`, names or numbers. */
  encodePriority(facility: string | number, priority: string | number): number {
    const f = typeof facility === 'string' ? lookupName(facilityNames, facility, 'facility') : facility;
    const p = typeof priority === 'string' ? lookupName(priorityNames, priority, 'priority') : priority;
    return (f << 3) | p;
  }

  /** Python's `mapPriority`: level name → priority name (`warning` for custom levels). */
  mapPriority(levelName: string): string {
    return priorityMap[levelName] ?? 'warning';
  }

  /** The bytes sent for a record. */
  encode(record: LogRecord): Buffer {
    let msg = this.format(record);
    if (this.ident) msg = this.ident + msg;
    if (this.appendNul && this.framing === 'nul') msg += '\0';
    msg = `<${this.encodePriority(this.facility, this.mapPriority(record.levelname))}>${msg}`;
    if (this.transport !== 'udp') {
      if (this.framing === 'newline') msg += '\n';
      else if (this.framing === 'octet-counting') return Buffer.from(`${Buffer.byteLength(msg)} ${msg}`);
    }
    return Buffer.from(msg);
  }

  override emit(record: LogRecord): void {
    const data = this.encode(record);
    if (this.transport === 'udp') {
      if (!this.udp) this.createSocket();
      const socket = this.udp!;
      if (this.pendingSends >= MAX_PENDING_DATAGRAMS) {
        this.handleError(
          record,
          new Error(`syslog: ${MAX_PENDING_DATAGRAMS} datagrams waiting to be sent; dropping records`),
        );
        return;
      }
      this.pendingSends++;
      socket.send(data, this.port, this.host, (error) => {
        if (error) this.handleError(record, error);
        // A close() that came meanwhile waits for the queued datagrams.
        if (--this.pendingSends === 0 && this.udp !== socket) socket.close();
      });
      return;
    }
    if (!this.stream || this.stream.destroyed) this.createSocket();
    const stream = this.stream!;
    // A daemon that stops reading must not make the app's memory grow without bound.
    if (stream.writableLength > MAX_QUEUED_BYTES) {
      this.handleError(
        record,
        new Error(`syslog: ${stream.writableLength} bytes waiting for ${this.target}; dropping records`),
      );
      return;
    }
    this.streamUsed = true;
    stream.write(data);
  }

  /** Python's `createSocket`: (re)creates the socket; stream sockets connect in the background. */
  createSocket(quiet = false): void {
    // net and dgram load with the first syslog handler, not with the library.
    const { connect, isIPv6 } = process.getBuiltinModule('node:net');
    if (this.transport === 'udp') {
      const socket = process.getBuiltinModule('node:dgram').createSocket(isIPv6(this.host) ? 'udp6' : 'udp4');
      socket.on('error', (error) => this.handleError(null, error));
      // Logging must never keep the process alive.
      socket.unref();
      this.udp = socket;
      return;
    }
    const socket =
      this.transport === 'unix' ? connect({ path: this.path! }) : connect({ host: this.host, port: this.port });
    socket.setNoDelay?.(true);
    this.streamUsed = false;
    socket.on('error', (error) => {
      // Python closes the socket and reconnects at the next record.
      socket.destroy();
      const unused = this.stream === socket && !this.streamUsed;
      if (this.stream === socket) this.stream = null;
      if (quiet && unused) return;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPROTOTYPE') {
        error = new Error(
          `${this.path} is a datagram socket; Node has no unix datagram sockets: use UDP (address ['localhost', 514]) or a unix stream socket (${error.message})`,
        );
      }
      this.handleError(null, error);
    });
    socket.unref();
    this.stream = socket;
  }

  /** Closes the socket after queued messages are sent. */
  override close(): void {
    if (this.closed) return;
    if (this.udp && this.pendingSends === 0) this.udp.close();
    this.udp = null;
    this.stream?.end();
    this.stream = null;
    super.close();
  }
}
