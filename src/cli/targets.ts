/**
 * What `ls`, `status`, `push`, `set` and `revert` share: the target options, finding the targets
 * (local runtime directory, a TCP port range, or the bus), sending to all of them at once, and
 * printing the result table with the exit code (1 when any target rejected or did not answer).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { localTargets, sendToAll, tcpTargets, type Target, type TargetResult } from '../control/client.js';
import type { ControlCommand, NotApplied } from '../control/protocol.js';
import { shown } from '../control/escape.js';
import { controlPlaneUnsupported } from '../control/platform.js';
import { redactUrl } from '../control/redact.js';
import { runtimeDir } from '../control/runtime-dir.js';
import { connectBus, sendViaBus, type BusFilter } from './bus-hook.js';
import { parseDuration } from './duration.js';
import { renderTable } from './table.js';

/** Options every targeting command takes. */
export interface TargetOptions {
  app?: string[];
  pid?: number[];
  port?: [number, number];
  host: string;
  secret?: string;
  timeout: number;
  json?: boolean;
  bus?: string;
}

const collect = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];
const collectPids = (value: string, previous: number[] | undefined) => {
  const pids = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`invalid pid '${v}'`);
      return Number(v);
    });
  return [...(previous ?? []), ...pids];
};

/** Turns a parse error into commander's usage error (exit 2). */
export function asArgument<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Parses `N` or `A-B`. */
export function parsePortRange(text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const from = m ? Number(m[1]) : NaN;
  const to = m?.[2] ? Number(m[2]) : from;
  if (!m || from < 1 || to > 65535 || to < from)
    throw new InvalidArgumentError(`invalid port or range '${text}' (N or A-B, 1-65535)`);
  return [from, to];
}

/** Adds the target options to a command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('--app <name>', 'only processes of this app (repeatable, or comma-separated)', collect)
    .option('--pid <pid>', 'only this process (repeatable, or comma-separated)', collectPids)
    .option(
      '--port <N|A-B>',
      'TCP listeners on this port or range (logdial and Python logging.config.listen)',
      parsePortRange,
    )
    .option('--host <host>', 'host of the TCP listeners', '127.0.0.1')
    .option(
      '--secret <secret>',
      'HMAC secret of authenticated TCP endpoints and signed bus commands (default: LOGDIAL_SECRET, which is better: arguments show in ps)',
    )
    .option(
      '--timeout <duration>',
      'how long to wait for each answer (e.g. 500ms, 3s; a bare number is ms)',
      (v: string) => asArgument(() => parseDuration(v, 'ms')),
      3000,
    )
    .option('--bus <url>', 'reach processes through the Redis bus (redis://host:6379)')
    .option('--json', 'print JSON instead of a table');
}

/** Throws (exit 1, the reason and the supported platforms) where the control plane cannot run. */
export function requireControlPlane(): void {
  const unsupported = controlPlaneUnsupported();
  if (unsupported) throw new Error(unsupported);
}

/** Resolved targets for local/TCP sends. */
export function findTargets(options: TargetOptions): Target[] {
  if (options.port) return tcpTargets(options.host, options.port[0], options.port[1]);
  const filter: { app?: string[]; pid?: number[] } = {};
  if (options.app?.length) filter.app = options.app;
  if (options.pid?.length) filter.pid = options.pid;
  return localTargets(filter);
}

function matcher(options: TargetOptions): ((who: { pid?: number; app?: string }) => boolean) | undefined {
  if (!options.app?.length && !options.pid?.length) return undefined;
  return (who) =>
    (!options.app?.length || (who.app !== undefined && options.app.includes(who.app))) &&
    (!options.pid?.length || (who.pid !== undefined && options.pid.includes(who.pid)));
}

/** Sends `cmd` to every target at once and returns the rows (never throws for a target's failure). */
export async function sendEverywhere(cmd: ControlCommand, options: TargetOptions): Promise<TargetResult[]> {
  requireControlPlane();
  if (options.bus) {
    const client = await connectBus(options.bus, options.secret ?? process.env['LOGDIAL_SECRET']);
    try {
      const filter: BusFilter = {};
      if (options.app?.length) filter.app = options.app;
      if (options.pid?.length) filter.pid = options.pid;
      return await sendViaBus(client, cmd, filter, options.timeout);
    } finally {
      await client.close();
    }
  }
  const targets = findTargets(options);
  const send: Parameters<typeof sendToAll>[2] = { timeoutMs: options.timeout, dir: runtimeDir() };
  const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
  if (secret) send.secret = secret;
  const match = options.port ? matcher(options) : undefined;
  if (match) send.match = match;
  return sendToAll(targets, cmd, send);
}

/** RESULT column text. */
export function resultText(row: TargetResult): string {
  switch (row.status) {
    case 'ok':
      return row.reply?.result ?? 'ok';
    case 'rejected':
      return 'REJECTED';
    case 'no-answer':
      return 'NO ANSWER';
    case 'sent':
      return 'sent (no ack)';
    case 'skipped':
      return 'skipped';
    case 'filtered':
      return 'filtered';
  }
}

/** LEVELS column text: `root=DEBUG app.db=INFO`. */
export function levelsText(row: TargetResult): string {
  const levels = row.reply?.levels;
  if (!levels) return '-';
  const text = Object.entries(levels)
    .map(([name, level]) => `${name}=${level}`)
    .join(' ');
  return text || '-';
}

/** A part of a push the process could not apply, as one line (a peer's text: control characters escaped). */
function notAppliedLine(item: NotApplied): string {
  const text = `not applied: ${item.item}${item.location ? ` (${item.location})` : ''}: ${item.reason}`;
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when the row counts as a failure for the exit code. */
export function failed(row: TargetResult): boolean {
  return row.status === 'rejected' || row.status === 'no-answer' || row.status === 'skipped';
}

/**
 * Prints the rows (table or JSON) and sets the exit code: 1 when any target rejected, did not
 * answer or could not be sent to, or when there was no target at all.
 */
export function report(rows: TargetResult[], options: TargetOptions, what: string): void {
  if (options.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else if (rows.length === 0) {
    process.stderr.write(
      `logdial: no ${what} found${options.port ? ` on ${options.host}:${options.port[0]}-${options.port[1]}` : options.bus ? ` on ${redactUrl(options.bus)}` : ` (runtime directory ${runtimeDir()})`}\n`,
    );
    process.stderr.write(noTargetHint(options));
  } else {
    // Across hosts (the bus) a pid alone names no process: show the host too.
    const hosts = rows.some((row) => row.kind === 'bus');
    const table = renderTable(
      [...(hosts ? ['HOST'] : []), 'PID', 'APP', 'PROCESS', 'RESULT', 'LEVELS AFTER', 'TIME'],
      rows.map((row) => [
        ...(hosts ? [row.reply?.process.host ?? row.endpoint.replace(/^bus:/, '')] : []),
        row.pid,
        row.app,
        row.processName ?? (row.kind === 'python' ? row.endpoint : undefined),
        resultText(row),
        levelsText(row),
        `${row.elapsedMs}ms`,
      ]),
    );
    process.stdout.write(table + '\n');
    const problems = rows.filter((row) => row.error && row.status !== 'ok' && row.status !== 'sent');
    for (const row of problems) {
      const where = row.kind === 'bus' ? `${row.endpoint.replace(/^bus:/, '')} ` : '';
      process.stderr.write(
        shown(
          `${where}${row.pid ?? row.endpoint}${row.app ? ` (${row.app})` : ''}: ${resultText(row).toLowerCase()}: ${row.error}`,
        ) + '\n',
      );
    }
    for (const row of rows)
      for (const item of row.reply?.notApplied ?? [])
        process.stdout.write(`${row.pid ?? row.endpoint}: ${shown(notAppliedLine(item))}\n`);
    const ok = rows.filter((r) => r.status === 'ok').length;
    const sent = rows.filter((r) => r.status === 'sent').length;
    process.stdout.write(
      `${ok} acknowledged${sent ? `, ${sent} sent without acknowledgement` : ''}, ${rows.filter(failed).length} failed, of ${rows.length}\n`,
    );
  }
  process.exitCode = rows.length === 0 || rows.some(failed) ? 1 : 0;
}

/** A bad command line (an argument commander cannot check itself): exit code 2, nothing sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What to try when nothing answered the selection. */
function noTargetHint(options: TargetOptions): string {
  const narrowed = options.app?.length || options.pid?.length ? ' (without --app/--pid)' : '';
  if (options.port)
    return `check the port range and --host; logdial TCP listeners need listen({ port }) with a secret (or legacy: true)\n`;
  if (options.bus)
    return `check the URL and the app name; \`logdial ls --bus ${redactUrl(options.bus)}\` lists every process on the bus\n`;
  return `run \`logdial ls\`${narrowed} to see what is running; a process is reachable when it calls listen() or starts with LOGDIAL_LISTEN=1, as the same user (and the same LOGDIAL_RUNTIME_DIR / XDG_RUNTIME_DIR)\n`;
}

/** Runs an action, turning a thrown Error into a message and exit code 2 ({@link UsageError}) or 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      // Our own messages may span lines: each line is shown (control characters escaped, passwords hidden).
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`logdial: ${message.split('\n').map(shown).join('\n')}\n`);
      if (error instanceof UsageError) process.stderr.write('nothing was sent (add --help for usage)\n');
      process.exitCode = error instanceof UsageError ? 2 : 1;
    }
  };
}

/** `--for` value (ms), undefined when not given. */
export function ttlOption(value: string): number {
  return asArgument(() => parseDuration(value, 's'));
}
