/**
 * Log levels with Python's names and numbers, plus `TRACE` (5), which pino and Fastify code calls.
 *
 * The table is process-wide, like Python's `logging._levelToName`; `addLevelName` registers
 * custom levels in both directions. Names are accepted in any case wherever a level is given
 * (`'debug'` as pino users write it); records show the registered spelling.
 */

/** Numeric value of a level. */
export type Level = number;

export const NOTSET = 0;
export const TRACE = 5;
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
  [TRACE, 'TRACE'],
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
  ['TRACE', TRACE],
  ['NOTSET', NOTSET],
]);

/** Upper-cased names, for case-insensitive lookups (the exact spelling is tried first). */
const upperNameToLevel = new Map<string, number>([...nameToLevel].map(([name, level]) => [name.toUpperCase(), level]));

/** Registers `name` for `level` in both directions, as Python's `addLevelName`. */
export function addLevelName(level: number, name: string): void {
  levelToName.set(level, name);
  nameToLevel.set(name, level);
  upperNameToLevel.set(name.toUpperCase(), level);
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

/** The level registered under `name` in any case (the exact spelling first), or `undefined`. */
export function levelOfName(name: string): number | undefined {
  return nameToLevel.get(name) ?? upperNameToLevel.get(name.toUpperCase());
}

/**
 * Python's `_checkLevel`: integers pass through, registered names map to their number, anything
 * else is an error. Unlike Python, names are case-insensitive (`'debug'`): a deliberate
 * deviation, since JavaScript code and pino habits write levels in lower case. `strict: false`
 * also accepts numeric strings, which the CLI and JSON commands allow for convenience.
 */
export function checkLevel(level: unknown, strict = true): number {
  if (typeof level === 'number') {
    if (!Number.isInteger(level)) throw new LevelError(`Level not an integer: ${level}`);
    return level;
  }
  if (typeof level === 'string') {
    const found = levelOfName(level);
    if (found !== undefined) return found;
    if (!strict && /^\d+$/.test(level)) return Number(level);
    throw new LevelError(`Unknown level: '${level}'`);
  }
  throw new LevelError(`Level not an integer or a valid string: ${String(level)}`);
}
