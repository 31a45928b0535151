/**
 * Durations on the command line: `500ms`, `10s`, `5m`, `1h`, `1d`, and compounds such as `1h30m`.
 * A bare number uses the caller's unit (seconds for `--for`, milliseconds for `--timeout`).
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration text; throws a readable Error on a bad one. */
export function parseDuration(text: string, bareUnit: 'ms' | 's' = 's'): number {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) {
    const ms = Math.round(Number(value) * UNITS[bareUnit]!);
    if (ms <= 0) throw new Error(`duration '${text}' must be more than zero`);
    return ms;
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(value))) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== value.length)
    throw new Error(`invalid duration '${text}' (examples: 500ms, 10s, 5m, 1h, 1h30m)`);
  if (total <= 0) throw new Error(`duration '${text}' must be more than zero`);
  return Math.round(total);
}

/** Short human form: `2s`, `4m 10s`, `1h 5m`; `-` when unknown. */
export function formatRemaining(ms: number): string {
  // A manifest or reply with an unreadable time gives NaN: shown as unknown, never as `NaNh`.
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
}
