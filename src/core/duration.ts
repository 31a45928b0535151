/**
 * Durations in configurations and on the command line: `500ms`, `10s`, `5m`, `1h`, `1d`, and
 * compounds such as `1h30m`. A bare number uses the caller's unit (seconds for `--for` and a
 * trigger's `for`, milliseconds for `--timeout`).
 */
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNITS;

/** Milliseconds of a duration text; throws a readable Error on a bad one. */
export function parseDuration(text: string, bareUnit: 'ms' | 's' = 's'): number {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) {
    const ms = Math.round(Number(value) * UNITS[bareUnit]);
    if (ms <= 0) throw new Error(`duration '${text}' must be more than zero`);
    return ms;
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(value))) {
    // The pattern's second group is one of UNITS' keys.
    total += Number(match[1]) * UNITS[match[2] as Unit];
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== value.length)
    throw new Error(`invalid duration '${text}' (examples: 500ms, 10s, 5m, 1h, 1h30m)`);
  if (total <= 0) throw new Error(`duration '${text}' must be more than zero`);
  return Math.round(total);
}

/** A duration as configurations write it: `5m`, `30s`, `1h`, `250ms`. */
export function durationText(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
