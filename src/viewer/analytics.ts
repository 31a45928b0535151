/**
 * Counts over the retained window — per level, logger and process — kept up to date as lines
 * arrive and are dropped (so the panel costs nothing per frame); counts per level per second over
 * the last seconds; and aggregations of a numeric field over the lines shown: count, sum, mean and
 * mode (Logria's aggregations).
 *
 * A line's keys are interned: the store keeps three small ids per line, not the line's fields,
 * so dropping a line uncounts it without parsing it again. Ids of keys no longer counted are
 * reused, so the tables hold at most the distinct keys of the retained lines.
 */
import { levelName } from './filters.js';
import { type JsonFields, path } from './json-lines.js';

/** What is counted, by dimension. */
export const DIMENSIONS = ['level', 'logger', 'process'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** What a line is counted by: its level rank and parsed fields. */
export interface Countable {
  level: number;
  fields: JsonFields | null;
}

/** The value of a line in one dimension ('' when it has none). */
export function keyOf(line: Countable, dimension: Dimension): string {
  if (dimension === 'level') return line.fields?.level || (line.level > 0 ? levelName(line.level) : '');
  if (dimension === 'logger') return line.fields?.logger ?? '';
  const o = line.fields?.object;
  const process = o ? (o['processName'] ?? o['pid'] ?? o['process']) : undefined;
  if (typeof process === 'string') return process;
  return typeof process === 'number' ? String(process) : process === undefined ? '' : JSON.stringify(process);
}

/** Counts of one dimension by interned key; id 0 is "no key". */
class KeyCounts {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [''];
  private readonly counts: number[] = [0];
  private readonly free: number[] = [];

  add(key: string): number {
    if (!key) return 0;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.free.pop() ?? this.keys.length;
      this.ids.set(key, id);
      this.keys[id] = key;
      this.counts[id] = 0;
    }
    this.counts[id] = (this.counts[id] ?? 0) + 1;
    return id;
  }

  remove(id: number): void {
    if (id === 0) return;
    const left = (this.counts[id] ?? 0) - 1;
    this.counts[id] = left;
    if (left > 0) return;
    const key = this.keys[id];
    if (key !== undefined) this.ids.delete(key);
    this.free.push(id);
  }

  top(limit: number): Array<[string, number]> {
    return [...this.ids.entries()]
      .map(([key, id]): [string, number] => [key, this.counts[id] ?? 0])
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit);
  }
}

export class Counts {
  private readonly dimensions: Record<Dimension, KeyCounts> = {
    level: new KeyCounts(),
    logger: new KeyCounts(),
    process: new KeyCounts(),
  };
  /** Per-level counts of the last seconds, for rates. */
  readonly rates = new LevelRates();

  /** Counts a line; writes its key ids (one per dimension) into `ids` at `at`. */
  add(line: Countable, ids: Uint32Array, at: number, now = Date.now()): void {
    const level = keyOf(line, 'level');
    ids[at] = this.dimensions.level.add(level);
    ids[at + 1] = this.dimensions.logger.add(keyOf(line, 'logger'));
    ids[at + 2] = this.dimensions.process.add(keyOf(line, 'process'));
    this.rates.add(level, now);
  }

  /** Uncounts a dropped line by the ids {@link add} wrote. */
  remove(ids: Uint32Array, at: number): void {
    // An id past the array's end would be a bug of the caller's; 0 (no key) uncounts nothing.
    for (const [d, dimension] of DIMENSIONS.entries()) this.dimensions[dimension].remove(ids[at + d] ?? 0);
  }

  /** The `limit` largest counts of a dimension, largest first. */
  top(dimension: Dimension, limit: number): Array<[string, number]> {
    return this.dimensions[dimension].top(limit);
  }
}

/** Seconds of per-level counts kept. */
export const RATE_SECONDS = 10;

/**
 * Lines per level in each of the last {@link RATE_SECONDS} whole seconds (lines without a level
 * count as `-`): a bounded ring of per-second tables, so a burst of ERRORs shows as a rate.
 */
export class LevelRates {
  private readonly seconds: Array<{ second: number; counts: Map<string, number> }> = [];

  add(level: string, now: number): void {
    const second = Math.floor(now / 1000);
    let last = this.seconds[this.seconds.length - 1];
    if (!last || last.second !== second) {
      last = { second, counts: new Map() };
      this.seconds.push(last);
      while (this.seconds.length > RATE_SECONDS + 1) this.seconds.shift();
    }
    const key = level || '-';
    last.counts.set(key, (last.counts.get(key) ?? 0) + 1);
  }

  /** Mean lines per second per level over the last `span` whole seconds before `now`, highest first. */
  perSecond(now: number, span = 5): Array<[string, number]> {
    const current = Math.floor(now / 1000);
    const totals = new Map<string, number>();
    for (const { second, counts } of this.seconds) {
      if (second >= current || second < current - span) continue;
      for (const [level, n] of counts) totals.set(level, (totals.get(level) ?? 0) + n);
    }
    return [...totals.entries()].map(([level, n]): [string, number] => [level, n / span]).sort((a, b) => b[1] - a[1]);
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
export function aggregate(field: string, lines: Iterable<Countable>): Aggregate {
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
