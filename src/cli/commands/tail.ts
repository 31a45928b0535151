import type { Command } from 'commander';
import type { Target } from '../../control/client.js';
import type { TailSession } from '../../control/tap-client.js';
import type { TapRecordFrame } from '../../control/tap.js';
import { parseDuration } from '../duration.js';
import { action, addTargetOptions, asArgument, findTargets, type TargetOptions, UsageError } from '../targets.js';

interface TailOptions extends TargetOptions {
  logger: string;
  level: string;
  for?: number;
}

/** Who a target is, for the line prefix. */
function who(target: Target): string {
  return target.kind === 'unix' ? String(target.manifest.pid) : `${target.host}:${target.port}`;
}

/** One record as a terminal line: pid, time, level, logger, message — `clean` removes escapes. */
function recordLine(source: string, frame: TapRecordFrame, clean: (line: string) => string): string {
  const text = `${source} ${new Date(frame.t).toISOString()} ${frame.level} ${frame.logger}: ${frame.msg}${frame.exc ? '\n' + frame.exc : ''}`;
  return text.split('\n').map(clean).join('\n') + '\n';
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
  ).action(
    action(async (options: TailOptions) => {
      if (options.bus) throw new UsageError('tail works over the Unix socket and TCP, not the Redis bus yet');
      const targets = findTargets(options);
      if (targets.length === 0)
        throw new Error(
          'no process to tail (run `logdial ls`; a process is reachable when it calls listen() or starts with LOGDIAL_LISTEN=1)',
        );
      // Loaded here, so the other commands start without the viewer's modules nor the tap's
      // (which load the logger module).
      const { forScreen } = await import('../../viewer/ansi.js');
      const { startTail } = await import('../../control/tap-client.js');
      const cmd = { op: 'tail' as const, logger: options.logger, level: options.level.toUpperCase(), ttl: options.for };
      const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
      const sessions: TailSession[] = [];
      let failed = 0;
      await Promise.all(
        targets.map(async (target) => {
          const source = who(target);
          const print = (frame: TapRecordFrame) =>
            process.stdout.write(
              options.json ? JSON.stringify({ source, ...frame }) + '\n' : recordLine(source, frame, forScreen),
            );
          try {
            sessions.push(
              await startTail(target, cmd, print, { timeoutMs: options.timeout, ...(secret ? { secret } : {}) }),
            );
          } catch (error) {
            failed++;
            process.stderr.write(
              `logdial tail: ${source}: ${error instanceof Error ? error.message : String(error)}\n`,
            );
          }
        }),
      );
      if (sessions.length === 0) {
        process.exitCode = 1;
        return;
      }
      process.stderr.write(
        `tailing ${sessions.length} process${sessions.length === 1 ? '' : 'es'} (${sessions[0]!.reply.result}); Ctrl-C ends\n`,
      );
      const stop = () => sessions.forEach((s) => s.close());
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
      const ends = await Promise.all(sessions.map((s) => s.ended));
      const dropped = ends.reduce((sum, end) => sum + (end?.dropped ?? 0), 0);
      if (dropped > 0)
        process.stderr.write(
          `logdial tail: ${dropped} records dropped while this terminal read slower than the processes logged\n`,
        );
      process.exitCode = failed > 0 ? 1 : 0;
    }),
  );
}
