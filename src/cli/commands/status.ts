import type { Command } from 'commander';
import type { TargetResult } from '../../control/client.js';
import { shown } from '../../control/escape.js';
import { formatRemaining } from '../duration.js';
import { renderTable } from '../table.js';
import { action, addTargetOptions, report, resultText, sendEverywhere, type TargetOptions } from '../targets.js';

/** A process's status, as text. Everything in it came from the process: shown escaped (tables escape their cells). */
function describe(row: TargetResult): string {
  const lines: string[] = [];
  const p = row.reply?.process;
  lines.push(
    shown(
      `== pid ${row.pid ?? '-'}  app ${row.app ?? '-'}  ${row.processName ?? row.endpoint}${p ? `  host ${p.host}  logdial ${p.version}` : ''}`,
    ),
  );
  const status = row.reply?.status;
  if (!status) {
    lines.push(shown(`   ${resultText(row)}${row.error ? `: ${row.error}` : ''}`));
    return lines.join('\n');
  }
  lines.push(shown(`   config: ${status.configSource ?? '(set up in code)'}`));
  lines.push(
    shown(
      status.override
        ? `   override: ${status.override.description} — ${formatRemaining(status.override.remainingMs)} left (until ${status.override.expiresAt})${status.override.requestedBy ? `, by ${status.override.requestedBy}` : ''}`
        : '   override: none',
    ),
  );
  for (const trigger of status.triggers ?? []) lines.push(shown(`   trigger ${trigger}`));
  // pino/winston loggers (levels in their library's words) get a KIND column.
  const kinds = status.loggers.some((l) => l.kind !== undefined);
  lines.push(
    renderTable(
      ['LOGGER', 'LEVEL', 'EFFECTIVE', 'PROPAGATE', 'DISABLED', 'HANDLERS', ...(kinds ? ['KIND'] : [])],
      status.loggers.map((l) => [
        l.name,
        l.level,
        l.effectiveLevel,
        l.propagate ? 'yes' : 'no',
        l.disabled ? 'yes' : 'no',
        l.handlers.join(',') || '-',
        ...(kinds ? [l.kind ?? 'logdial'] : []),
      ]),
    )
      .split('\n')
      .map((line) => `   ${line}`)
      .join('\n'),
  );
  if (status.handlers.length > 0) {
    lines.push(
      renderTable(
        ['HANDLER', 'CLASS', 'LEVEL', 'TARGET', 'FORMATTER'],
        status.handlers.map((h) => [h.name ?? '(unnamed)', h.class, h.level, h.target, h.formatter]),
      )
        .split('\n')
        .map((line) => `   ${line}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}

/** One row per process, for many processes at once: where its config came from, its override, its set levels. */
function briefRow(row: TargetResult): Array<string | number | undefined> {
  const status = row.reply?.status;
  if (!status)
    return [
      row.pid,
      row.app,
      row.processName ?? row.endpoint,
      resultText(row) + (row.error ? `: ${row.error}` : ''),
      '',
      '',
    ];
  const override = status.override
    ? `${status.override.description} (${formatRemaining(status.override.remainingMs)} left)`
    : '-';
  const levels = status.loggers.filter((l) => l.level !== 'NOTSET').map((l) => `${l.name}=${l.level}`);
  return [row.pid, row.app, row.processName, status.configSource ?? '(code)', override, levels.join(' ') || '-'];
}

/** Registers `logdial status`. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('status')
      .description('show loggers, handlers, config source and any temporary override of running processes')
      .option('--brief', 'one line per process: config source, override and time left, levels set'),
  ).action(
    action(async (options: TargetOptions & { brief?: boolean }) => {
      const rows = await sendEverywhere({ op: 'status' }, options);
      if (options.json || rows.length === 0) {
        report(rows, options, 'processes');
        return;
      }
      if (options.brief) {
        process.stdout.write(
          renderTable(['PID', 'APP', 'PROCESS', 'CONFIG', 'OVERRIDE', 'LEVELS SET'], rows.map(briefRow)) + '\n',
        );
      } else {
        process.stdout.write(rows.map(describe).join('\n\n') + '\n');
      }
      process.exitCode = rows.some((r) => r.status !== 'ok') ? 1 : 0;
    }),
  );
}
