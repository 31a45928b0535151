/**
 * What the view shows: include filters (a line must match one of them), exclude filters (it must
 * match none), a minimum level, and which stream (stdout, stderr or both). Pure decisions over
 * plain text, so they are tested without a terminal. A pattern that is not a valid regular
 * expression is an error for the caller to show, never silently a literal.
 */
import { type FieldCondition, type JsonFields, meets, parseCondition } from './json-lines.js';

/** Numeric rank of a level name (Python's numbers; pino's `warn`/`fatal`/`trace` included). */
export const LEVEL_RANKS: Readonly<Record<string, number>> = {
  TRACE: 5,
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  WARN: 30,
  ERROR: 40,
  CRITICAL: 50,
  FATAL: 50,
};
const LEVEL_WORD = /\b(TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|CRITICAL|FATAL)\b/i;
const PINO_LEVEL = /"level":\s*([1-6]0)\b/;

/** The level a line shows (its first level word, or a pino numeric level), 0 when none. */
export function lineLevel(plain: string): number {
  const head = plain.length > 300 ? plain.slice(0, 300) : plain;
  const word = LEVEL_WORD.exec(head);
  if (word) return LEVEL_RANKS[word[1]!.toUpperCase()]!; // LEVEL_WORD's words are all ranked
  const pino = PINO_LEVEL.exec(head);
  return pino ? Math.max(5, Number(pino[1]) - 10) : 0;
}

/** Which output of a program a line came from. */
export type StreamName = 'out' | 'err';
export type StreamChoice = 'both' | StreamName;

/** A line as the filters see it. */
export interface Filterable {
  plain: string;
  level: number;
  stream: StreamName;
  /** Its fields, when it is a JSON log line. */
  fields?: JsonFields | null;
}

/** A compiled user pattern, with the text typed. */
export interface Pattern {
  source: string;
  regex: RegExp;
}

/** Compiles a user's regular expression; throws an Error that says what is wrong. */
export function compilePattern(source: string, caseSensitive: boolean): Pattern {
  try {
    return { source, regex: new RegExp(source, caseSensitive ? '' : 'i') };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new Error(`invalid regular expression ${reason} (escape special characters with \\)`);
  }
}

/** The filter set; every change returns nothing and leaves the set valid. */
export class FilterSet {
  includes: Pattern[] = [];
  excludes: Pattern[] = [];
  minLevel = 0;
  stream: StreamChoice = 'both';
  caseSensitive = false;
  /** Field conditions (`level>=warn`): a line must be a JSON line that meets them all. */
  conditions: FieldCondition[] = [];

  /** Adds a field condition; throws on a malformed one (nothing changes). */
  where(text: string): void {
    this.conditions.push(parseCondition(text));
  }

  /** Adds an include (`in`) or exclude (`out`) pattern; throws on an invalid one (nothing changes). */
  add(kind: 'in' | 'out', source: string): void {
    const pattern = compilePattern(source, this.caseSensitive);
    (kind === 'in' ? this.includes : this.excludes).push(pattern);
  }

  clear(): void {
    this.includes = [];
    this.excludes = [];
    this.minLevel = 0;
    this.stream = 'both';
    this.conditions = [];
  }

  /** Flips case sensitivity of every pattern (they were valid, so they recompile). */
  toggleCase(): void {
    this.caseSensitive = !this.caseSensitive;
    const again = (p: Pattern) => compilePattern(p.source, this.caseSensitive);
    this.includes = this.includes.map(again);
    this.excludes = this.excludes.map(again);
  }

  /** True when nothing is filtered out. */
  get empty(): boolean {
    return (
      this.includes.length === 0 &&
      this.excludes.length === 0 &&
      this.minLevel === 0 &&
      this.stream === 'both' &&
      this.conditions.length === 0
    );
  }

  test(line: Filterable): boolean {
    if (this.stream !== 'both' && line.stream !== this.stream) return false;
    if (line.level < this.minLevel) return false;
    if (this.conditions.length > 0 && !(line.fields && this.conditions.every((c) => meets(line.fields!, c))))
      return false;
    if (this.includes.length > 0 && !this.includes.some((p) => p.regex.test(line.plain))) return false;
    return !this.excludes.some((p) => p.regex.test(line.plain));
  }

  /** For the status line: what is applied, or "No filter applied". */
  describe(): string {
    const parts: string[] = [];
    for (const p of this.includes) parts.push(`+/${p.source}/`);
    for (const p of this.excludes) parts.push(`-/${p.source}/`);
    for (const c of this.conditions) parts.push(`where ${c.source}`);
    if (this.minLevel > 0) parts.push(`level≥${levelName(this.minLevel)}`);
    if (this.stream !== 'both') parts.push(`${this.stream === 'out' ? 'stdout' : 'stderr'} only`);
    const text = parts.length ? parts.join(' ') : 'No filter applied';
    return this.caseSensitive ? `${text} (case-sensitive)` : text;
  }
}

/** The name shown for a level rank. */
export function levelName(rank: number): string {
  return LEVEL_NAMES.get(rank) ?? String(rank);
}
// The first name of each rank (WARNING before WARN), looked up once per stored line.
const LEVEL_NAMES = new Map(
  Object.entries(LEVEL_RANKS)
    .reverse()
    .map(([name, rank]) => [rank, name]),
);

/** The next minimum level when cycling: none → DEBUG → INFO → WARNING → ERROR → CRITICAL → none. */
export function nextMinLevel(rank: number): number {
  const steps = [0, 10, 20, 30, 40, 50];
  return steps[(steps.indexOf(rank) + 1) % steps.length] ?? 0;
}
