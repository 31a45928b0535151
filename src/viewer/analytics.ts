/**
 * Counts over the retained window — per level, logger and process — kept up to date as lines
 * arrive and are dropped (so the panel costs nothing per frame), and aggregations of a numeric
 * field over the lines shown: count, sum, mean and mode (Logria's aggregations).
 */
import { levelName } from './filters.js';
import { fieldText, path } from './json-lines.js';
import type { StoredLine } from './line-store.js';

/** What is counted, by dimension. */
export const DIMENSIONS = ['level', 'logger', 'process'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The value of a line in one dimension ('' when it has none). */
function keyOf(line: StoredLine, dimension: Dimension): string {
  if (dimension === 'level') return line.fields?.level || (line.level > 0 ? levelName(line.level) : '');
  if (dimension === 'logger') return line.fields?.logger ?? '';
  const o = line.fields?.object;
  const process = o ? (o['processName'] ?? o['pid'] ?? o['process']) : undefined;
  return process === undefined ? '' : fieldText(process);
}

export class Counts {
  private readonly maps = new Map<Dimension, Map<string, number>>(DIMENSIONS.map((d) => [d, new Map()]));

  add(line: StoredLine, delta: 1 | -1): void {
    for (const dimension of DIMENSIONS) {
      const key = keyOf(line, dimension);
      if (!key) continue;
      const map = this.maps.get(dimension)!;
      const next = (map.get(key) ?? 0) + delta;
      if (next > 0) map.set(key, next);
      else map.delete(key);
    }
  }

  /** The `limit` largest counts of a dimension, largest first. */
  top(dimension: Dimension, limit: number): Array<[string, number]> {
    return [...this.maps.get(dimension)!.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  }
}

/** Count, sum, mean and mode of a numeric field. */
export interface Aggregate {
  field: string;
  count: number;
  sum: number;
  mean: number;
  mode: number | null;
}

/** Aggregates `field` over the given lines' fields (lines without a numeric value are skipped). */
export function aggregate(field: string, lines: Iterable<StoredLine>): Aggregate {
  let count = 0;
  let sum = 0;
  const frequency = new Map<number, number>();
  for (const line of lines) {
    if (!line.fields) continue;
    const raw = field === 'level' ? line.fields.rank : path(line.fields.object, field);
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(value)) continue;
    count++;
    sum += value;
    frequency.set(value, (frequency.get(value) ?? 0) + 1);
  }
  let mode: number | null = null;
  let best = 0;
  for (const [value, n] of frequency) if (n > best) [mode, best] = [value, n];
  return { field, count, sum, mean: count ? sum / count : 0, mode };
}
