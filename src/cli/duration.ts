/**
 * Durations on the command line: `500ms`, `10s`, `5m`, `1h`, `1d`, and compounds such as `1h30m`.
 * A bare number uses the caller's unit (seconds for `--for`, milliseconds for `--timeout`).
 */
export { parseDuration } from '../core/duration.js';

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
