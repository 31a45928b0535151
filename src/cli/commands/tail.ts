import type { Command } from 'commander';
import type { Target } from '../../control/client.js';
import type { TailCommand, TapRecordFrame } from '../../control/tap.js';
import type { BusFilter } from '../bus-hook.js';
import { parseDuration } from '../duration.js';
import {
  action,
  addTargetOptions,
  asArgument,
  findTargets,
  requireControlPlane,
  type TargetOptions,
} from '../targets.js';

interface TailOptions extends TargetOptions {
  logger: string;
  level: string;
  for?: number;
}

/** Hands a record to the terminal (or JSON), with who sent it. */
type Print = (frame: TapRecordFrame, source: string) => void;

/** Running taps, however they were reached. */
interface Tailing {
  count: number;
  /** The first tap's answer (`tapping app.db from DEBUG for 5m`). */
  result: string;
  /** How many targets refused or did not answer. */
  failed: number;
  /** Resolves once every tap ended; with the records dropped for a slow reader. */
  ended: Promise<number>;
  /** Detaches every tap (the processes remove them). */
  stop(): void;
}

const NO_PROCESS =
  'no process to tail (run `logdial ls`; a process is reachable when it calls listen() or starts with LOGDIAL_LISTEN=1)';

/** Who a target is, for the line prefix. */
function who(target: Target): string {
  return target.kind === 'unix' ? String(target.manifest.pid) : `${target.host}:${target.port}`;
}

/** One record as a terminal line: pid, time, level, logger, message — `clean` removes escapes. */
function recordLine(source: string, frame: TapRecordFrame, clean: (line: string) => string): string {
  const text = `${source} ${new Date(frame.t).toISOString()} ${frame.level} ${frame.logger}: ${frame.msg}${frame.exc ? '\n' + frame.exc : ''}`;
  return text.split('\n').map(clean).join('\n') + '\n';
}

/** Taps on local (Unix socket) or TCP processes. */
async function tailLocal(options: TailOptions, cmd: TailCommand, print: Print): Promise<Tailing | null> {
  const targets = findTargets(options);
  if (targets.length === 0) throw new Error(NO_PROCESS);
  // Loaded here, so the other commands start without the tap's modules (which load the logger module).
  const { startTail } = await import('../../control/tap-client.js');
  const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
  const sessions: Array<Awaited<ReturnType<typeof startTail>> & { source: string }> = [];
  // Each record carries its process's drops so far; a connection closed early brings no end frame.
  const drops = new Map<string, number>();
  let failed = 0;
  await Promise.all(
    targets.map(async (target) => {
      const source = who(target);
      const onRecord = (frame: TapRecordFrame) => {
        drops.set(source, frame.dropped);
        print(frame, source);
      };
      try {
        const session = await startTail(target, cmd, onRecord, {
          timeoutMs: options.timeout,
          ...(secret ? { secret } : {}),
        });
        sessions.push({ ...session, source });
      } catch (error) {
        failed++;
        process.stderr.write(`logdial tail: ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }),
  );
  const [first] = sessions;
  if (!first) return null;
  const ended = Promise.all(sessions.map(async (s) => (await s.ended)?.dropped ?? drops.get(s.source) ?? 0)).then(
    (counts) => counts.reduce((sum, n) => sum + n, 0),
  );
  const stop = () => sessions.forEach((s) => s.close());
  return { count: sessions.length, result: first.reply.result, failed, ended, stop };
}

/** Taps on the processes of a Redis bus (`--bus`), with `--app`, `--pid` and `--host` as the filter. */
async function tailBus(
  options: TailOptions,
  hostGiven: boolean,
  cmd: TailCommand,
  print: Print,
): Promise<Tailing | null> {
  requireControlPlane();
  const { connectBus, tailViaBus } = await import('../bus-hook.js');
  const { shown } = await import('../../control/escape.js');
  const client = await connectBus(options.bus!, options.secret ?? process.env['LOGDIAL_SECRET']);
  const filter: BusFilter = {};
  if (options.app?.length) filter.app = options.app;
  if (options.pid?.length) filter.pid = options.pid;
  if (hostGiven) filter.host = options.host;
  let tail;
  try {
    if ((await client.list(filter)).length === 0)
      throw new Error(NO_PROCESS.replace('`logdial ls`', '`logdial ls --bus URL`'));
    tail = await tailViaBus(client, cmd, filter, print, options.timeout);
  } catch (error) {
    await client.close();
    throw error;
  }
  for (const line of tail.failures) process.stderr.write(`logdial tail: ${shown(line)}\n`);
  const ended = tail.session.ended.then(async () => {
    await client.close();
    return tail.dropped();
  });
  if (tail.started === 0) {
    await tail.session.close();
    await ended;
    return null;
  }
  const stop = () => void tail.session.close();
  return { count: tail.started, result: tail.result, failed: tail.failures.length, ended, stop };
}

/** Registers `logdial tail`. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('tail')
      .description(
        'stream the records of running processes from a logger and level, without changing what they write to their own outputs',
      )
      .option('--logger <name>', 'logger to tap (and the loggers below it); root for every logger', 'root')
      .option('--level <level>', 'lowest level streamed', 'DEBUG')
      .option(
        '--for <duration>',
        'how long the tap lives (5m, 1h; at most 1d; default 5m); it also ends when this command ends',
        (v: string) => asArgument(() => parseDuration(v)),
      ),
  )
    .addHelpText(
      'after',
      `
With --bus URL, the processes on that Redis bus (narrowed by --app, --pid and --host) are tapped;
each line then starts with host:pid. Docs: docs/cli.md#tail`,
    )
    .action(
      action(async (options: TailOptions, command: Command) => {
        // Loaded here, so the other commands start without the viewer's modules.
        const { forScreen } = await import('../../viewer/ansi.js');
        const cmd = {
          op: 'tail' as const,
          logger: options.logger,
          level: options.level.toUpperCase(),
          ttl: options.for,
        };
        const print: Print = (frame, source) =>
          void process.stdout.write(
            options.json ? JSON.stringify({ source, ...frame }) + '\n' : recordLine(source, frame, forScreen),
          );
        const tailing = options.bus
          ? await tailBus(options, command.getOptionValueSource('host') === 'cli', cmd, print)
          : await tailLocal(options, cmd, print);
        if (!tailing) {
          process.exitCode = 1;
          return;
        }
        process.stderr.write(
          `tailing ${tailing.count} process${tailing.count === 1 ? '' : 'es'} (${forScreen(tailing.result)}); Ctrl-C ends\n`,
        );
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => tailing.stop());
        const dropped = await tailing.ended;
        if (dropped > 0)
          process.stderr.write(
            `logdial tail: ${dropped} records dropped while this terminal read slower than the processes logged\n`,
          );
        process.exitCode = tailing.failed > 0 ? 1 : 0;
      }),
    );
}
