/**
 * A readable summary of a configuration (loggers, levels, handlers, formatters), for
 * `logdial validate` and the control plane's status.
 */
import { levelName } from '../core/levels.js';
import { describeTrigger } from '../core/triggers.js';
import type { ConfigSpec } from './spec.js';

/** One logger in a {@link ConfigSummary}. */
export interface LoggerSummary {
  /** `root` for the root logger. */
  name: string;
  /** Level name, or `null` when the config leaves it unchanged. */
  level: string | null;
  propagate: boolean | null;
  handlers: string[];
}

/** One handler in a {@link ConfigSummary}. */
export interface HandlerSummary {
  id: string;
  /** The class as written. */
  class: string;
  /** Python's canonical name of the class. */
  pythonClass: string;
  level: string | null;
  formatter: string | null;
  /** Where it writes (`stdout`, a path, `udp://localhost:514`, …). */
  target: string | null;
}

/** One formatter in a {@link ConfigSummary}. */
export interface FormatterSummary {
  id: string;
  class: string;
  format: string | null;
  datefmt: string | null;
  style: string;
}

/** What a configuration sets up. */
export interface ConfigSummary {
  kind: ConfigSpec['kind'];
  format: ConfigSpec['format'];
  file: string | null;
  incremental: boolean;
  disableExistingLoggers: boolean;
  loggers: LoggerSummary[];
  handlers: HandlerSummary[];
  formatters: FormatterSummary[];
  /** One line per trigger (`name: null` removals as `name: removed`); absent when the spec has none. */
  triggers?: string[];
}

/** Summarizes a spec (no side effects). */
export function summarizeSpec(spec: ConfigSpec): ConfigSummary {
  const loggerSummary = (l: ConfigSpec['loggers'][number]): LoggerSummary => ({
    name: l.name === '' ? 'root' : l.name,
    level: l.level === undefined ? null : levelName(l.level),
    propagate: l.propagate ?? null,
    handlers: l.handlers,
  });
  const loggers: LoggerSummary[] = [];
  if (spec.root && spec.rootFirst) loggers.push(loggerSummary(spec.root));
  for (const l of spec.loggers) loggers.push(loggerSummary(l));
  if (spec.root && !spec.rootFirst) loggers.push(loggerSummary(spec.root));
  return {
    kind: spec.kind,
    format: spec.format,
    file: spec.file ?? null,
    incremental: spec.incremental,
    disableExistingLoggers: spec.disableExistingLoggers,
    loggers,
    handlers: [
      ...spec.handlers.map((h) => ({
        id: h.id,
        class: h.call.name,
        pythonClass: h.call.entry.pyName,
        level: h.level === undefined ? null : levelName(h.level),
        formatter: h.formatter ?? null,
        target: h.target !== undefined ? `handler ${h.target}` : (h.call.entry.describe?.(h.call.bound) ?? null),
      })),
      ...spec.handlerLevels.map((h) => ({
        id: h.id,
        class: '(existing)',
        pythonClass: '',
        level: h.level === undefined ? null : levelName(h.level),
        formatter: null,
        target: null,
      })),
    ],
    formatters: spec.formatters.map((f) => ({
      id: f.id,
      class: f.call.name,
      format: f.format,
      datefmt: f.datefmt,
      style: f.style,
    })),
    ...triggerLines(spec),
  };
}

function triggerLines(spec: ConfigSpec): { triggers?: string[] } {
  const settings = spec.triggers;
  if (!settings || settings.triggers.length + settings.removed.length === 0) return {};
  return { triggers: [...settings.triggers.map(describeTrigger), ...settings.removed.map((n) => `${n}: removed`)] };
}

/** Renders a summary as aligned text tables. */
export function formatSummary(summary: ConfigSummary): string {
  const lines: string[] = [];
  const what = summary.kind === 'fileConfig' ? 'fileConfig (INI)' : `dictConfig (${summary.format.toUpperCase()})`;
  lines.push(
    `${summary.file ?? '<config>'}: valid ${what}${summary.incremental ? ', incremental' : ''}${summary.disableExistingLoggers ? '' : ', keeps existing loggers enabled'}`,
  );
  lines.push('');
  lines.push(
    ...table(
      'Loggers',
      ['LOGGER', 'LEVEL', 'PROPAGATE', 'HANDLERS'],
      summary.loggers.map((l) => [
        l.name,
        l.level ?? '(unchanged)',
        l.propagate === null ? '-' : l.propagate ? 'yes' : 'no',
        l.handlers.join(', ') || '-',
      ]),
    ),
  );
  lines.push(
    ...table(
      'Handlers',
      ['HANDLER', 'CLASS', 'LEVEL', 'FORMATTER', 'TARGET'],
      summary.handlers.map((h) => [h.id, h.class, h.level ?? 'NOTSET', h.formatter ?? '-', h.target ?? '-']),
    ),
  );
  lines.push(
    ...table(
      'Formatters',
      ['FORMATTER', 'CLASS', 'STYLE', 'FORMAT', 'DATEFMT'],
      summary.formatters.map((f) => [f.id, f.class, f.style, f.format ?? '(default)', f.datefmt ?? '-']),
    ),
  );
  if (summary.triggers) lines.push('Triggers:', ...summary.triggers.map((t) => `  ${t}`), '');
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function table(title: string, header: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [`${title}: none`, ''];
  const all = [header, ...rows.map((r) => r.map((c) => c.replace(/\n/g, '\\n')))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  return [
    `${title}:`,
    ...all.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')),
    '',
  ];
}
