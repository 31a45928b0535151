/**
 * Log levels with Python's names and numbers.
 *
 * The table is process-wide, like Python's `logging._levelToName`; `addLevelName` registers
 * custom levels in both directions.
 */

/** Numeric value of a level. */
export type Level = number;

export const NOTSET = 0;
export const DEBUG = 10;
export const INFO = 20;
export const WARNING = 30;
export const WARN = WARNING;
export const ERROR = 40;
export const CRITICAL = 50;
export const FATAL = CRITICAL;

const levelToName = new Map<number, string>([
  [CRITICAL, 'CRITICAL'],
  [ERROR, 'ERROR'],
  [WARNING, 'WARNING'],
  [INFO, 'INFO'],
  [DEBUG, 'DEBUG'],
  [NOTSET, 'NOTSET'],
]);

const nameToLevel = new Map<string, number>([
  ['CRITICAL', CRITICAL],
  ['FATAL', FATAL],
  ['ERROR', ERROR],
  ['WARN', WARNING],
  ['WARNING', WARNING],
  ['INFO', INFO],
  ['DEBUG', DEBUG],
  ['NOTSET', NOTSET],
]);

/** Registers `name` for `level` in both directions, as Python's `addLevelName`. */
export function addLevelName(level: number, name: string): void {
  levelToName.set(level, name);
  nameToLevel.set(name, level);
}

/**
 * Python's `getLevelName`: a number gives its name (`Level 15` when unknown), a registered name
 * gives its number, any other string gives `Level <string>`.
 */
export function getLevelName(level: number | string): string | number {
  if (typeof level === 'number') return levelToName.get(level) ?? `Level ${level}`;
  return nameToLevel.get(level) ?? `Level ${level}`;
}

/** The name shown in records for a level number (`Level 15` when unregistered). */
export function levelName(level: number): string {
  return levelToName.get(level) ?? `Level ${level}`;
}

/** A copy of the name → number table, as Python 3.11's `getLevelNamesMapping`. */
export function getLevelNamesMapping(): Record<string, number> {
  return Object.fromEntries(nameToLevel);
}

/** Thrown for a level that is neither an integer nor a registered name. */
export class LevelError extends Error {
  override name = 'LevelError';
}

/**
 * Python's `_checkLevel`: integers pass through, registered names (case-sensitive) map to their
 * number, anything else is an error. `strict: false` also accepts lower-case names and numeric
 * strings, which the CLI and JSON commands allow for convenience.
 */
export function checkLevel(level: unknown, strict = true): number {
  if (typeof level === 'number') {
    if (!Number.isInteger(level)) throw new LevelError(`Level not an integer: ${level}`);
    return level;
  }
  if (typeof level === 'string') {
    const found = nameToLevel.get(level);
    if (found !== undefined) return found;
    if (!strict) {
      const upper = nameToLevel.get(level.toUpperCase());
      if (upper !== undefined) return upper;
      if (/^\d+$/.test(level)) return Number(level);
    }
    throw new LevelError(`Unknown level: '${level}'`);
  }
  throw new LevelError(`Level not an integer or a valid string: ${String(level)}`);
}
