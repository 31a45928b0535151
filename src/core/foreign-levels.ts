/**
 * The level names of pino and winston, mapped onto Python's numbers both ways (the tables of
 * docs/adapters.md). Pure data and pure functions, so the CLI can check a level before sending it
 * and a process can show another library's logger in its own words.
 *
 * Invariants: a library level maps to a number in 1..99, increasing with severity; `SILENT` is
 * above all of them. A Python threshold maps back to the library's least severe level that still
 * passes exactly the records at or above it (so `set app=15` on pino gives `info`, never `debug`).
 */
import { LevelError, checkLevel } from './levels.js';

/** Above every mapped level: the library logs nothing (pino's `silent`, winston's `silent` flag). */
export const SILENT = 100;

/** pino's built-in levels. */
export const PINO_LEVELS: Readonly<Record<string, number>> = {
  trace: 5,
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  fatal: 50,
};

/** winston's built-in level sets (`winston.config.npm.levels`, `.cli.levels`, `.syslog.levels`). */
export const WINSTON_LEVEL_SETS: Readonly<Record<'npm' | 'cli' | 'syslog', Readonly<Record<string, number>>>> = {
  npm: { silly: 5, debug: 10, verbose: 15, http: 18, info: 20, warn: 30, error: 40 },
  cli: { silly: 5, input: 6, verbose: 7, prompt: 8, debug: 10, info: 20, data: 22, help: 24, warn: 30, error: 40 },
  syslog: { debug: 10, info: 20, notice: 25, warning: 30, error: 40, crit: 50, alert: 55, emerg: 60 },
};

/** Numbers for well-known names in a custom level set, where they keep the set's order. */
const ANCHORS: Readonly<Record<string, number>> = {
  ...WINSTON_LEVEL_SETS.syslog,
  ...WINSTON_LEVEL_SETS.npm,
  ...PINO_LEVELS,
  critical: 50,
};

type PinoPoint = readonly [pino: number, python: number];

/** pino's numbers of its built-in levels (ascending), the points custom pino levels are placed between. */
const PINO_VALUES: readonly [PinoPoint, ...PinoPoint[]] = [
  [10, 5],
  [20, 10],
  [30, 20],
  [40, 30],
  [50, 40],
  [60, 50],
];

/** One library logger's level names and their Python numbers. */
export class LevelMap {
  /** Names, least severe first. */
  private readonly ordered: ReadonlyArray<readonly [name: string, python: number]>;
  private readonly byName: ReadonlyMap<string, number>;

  constructor(entries: Iterable<readonly [string, number]>) {
    this.ordered = [...entries].sort((a, b) => a[1] - b[1]);
    this.byName = new Map(this.ordered);
  }

  /** The Python number of a library level name, or undefined. */
  toPython(name: string): number | undefined {
    if (name === 'silent') return SILENT;
    return this.byName.get(name);
  }

  /** The library level passing exactly the records at or above `threshold`; null when none (silent). */
  fromPython(threshold: number): string | null {
    for (const [name, python] of this.ordered) if (python >= threshold) return name;
    return null;
  }

  /** A Python level in this library's words (`NOTSET` for an unset level). */
  display(level: number): string {
    if (level === 0) return 'NOTSET';
    return this.fromPython(level) ?? 'silent';
  }

  /** name → Python number, least severe first. */
  entries(): ReadonlyArray<readonly [string, number]> {
    return this.ordered;
  }
}

/** A pino logger's levels (`logger.levels.values`), built-in and custom, on Python's scale. */
export function pinoLevelMap(values: Readonly<Record<string, number>>): LevelMap {
  return new LevelMap(
    Object.entries(values)
      .filter(([name, value]) => name !== 'silent' && Number.isFinite(value))
      .map(([name, value]) => [name, pinoToPython(value)]),
  );
}

/** A pino level number on Python's scale: linear between pino's built-in levels, clamped to 1..99. */
export function pinoToPython(value: number): number {
  let [loPino, loPy] = PINO_VALUES[0];
  if (value <= loPino) return Math.max(1, Math.round((value / loPino) * loPy));
  for (const [hiPino, hiPy] of PINO_VALUES) {
    if (value <= hiPino) return Math.round(loPy + ((value - loPino) / (hiPino - loPino)) * (hiPy - loPy));
    [loPino, loPy] = [hiPino, hiPy];
  }
  // Above pino's highest level (NaN, compared false everywhere, gets the highest).
  return value > loPino ? Math.min(SILENT - 1, loPy + Math.round(value - loPino)) : loPy;
}

/**
 * A winston logger's levels (`logger.levels`, lower number = more severe): one of winston's own
 * sets from the table; any other set keeps well-known names where they fit its order and places
 * the others evenly between them.
 */
export function winstonLevelMap(levels: Readonly<Record<string, number>>): LevelMap {
  for (const set of Object.values(WINSTON_LEVEL_SETS)) {
    if (sameNames(levels, set)) return new LevelMap(Object.entries(set));
  }
  const leastSevereFirst = Object.entries(levels)
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  return new LevelMap(fitByOrder(leastSevereFirst));
}

function sameNames(levels: Readonly<Record<string, number>>, set: Readonly<Record<string, number>>): boolean {
  const a = Object.entries(levels)
    .sort((x, y) => x[1] - y[1])
    .map(([n]) => n);
  const b = Object.entries(set)
    .sort((x, y) => y[1] - x[1])
    .map(([n]) => n);
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Numbers for names given least severe first: anchors where increasing, the rest evenly between. */
function fitByOrder(names: readonly string[]): Array<[string, number]> {
  const fixed: Array<number | undefined> = [];
  let last = 0;
  for (const name of names) {
    const anchor = ANCHORS[name];
    if (anchor !== undefined && anchor > last) {
      fixed.push(anchor);
      last = anchor;
    } else fixed.push(undefined);
  }
  const out: Array<[string, number]> = [];
  for (const [i, name] of names.entries()) {
    let value = fixed[i];
    if (value === undefined) {
      const lo = nearestAnchor(fixed, i, -1);
      const hi = nearestAnchor(fixed, i, 1);
      if (lo && hi) value = Math.round(lo.value + ((hi.value - lo.value) * (i - lo.at)) / (hi.at - lo.at));
      else if (hi) value = hi.value - 5 * (hi.at - i);
      else if (lo) value = lo.value + 5 * (i - lo.at);
      else value = 20 + 5 * (i - Math.floor(names.length / 2));
      value = Math.min(SILENT - 1, Math.max(1, value));
    }
    out.push([name, value]);
  }
  return out;
}

/** The anchor nearest to `i` going `step` (-1: before, 1: after), or null when there is none. */
function nearestAnchor(
  fixed: ReadonlyArray<number | undefined>,
  i: number,
  step: -1 | 1,
): { at: number; value: number } | null {
  for (let at = i + step; at >= 0 && at < fixed.length; at += step) {
    const value = fixed[at];
    if (value !== undefined) return { at, value };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Names a `set` may use besides Python's.

/** Every built-in name of both libraries, for the CLI's check before sending. */
const BUILT_IN: ReadonlyMap<string, number> = new Map([
  ...Object.entries(WINSTON_LEVEL_SETS.cli),
  ...Object.entries(ANCHORS),
  ['silent', SILENT],
]);

/** Names the attached loggers of this process define (first definition wins). */
const registered = new Map<string, number>();

/** Registers a level set's names for `set` commands in this process (attach does it). */
export function registerLevelNames(map: LevelMap): void {
  for (const [name, python] of map.entries()) if (!registered.has(name)) registered.set(name, python);
}

/**
 * A level as `set` takes it: Python's names (any case) and numbers, then pino's and winston's
 * names (this process's attached level sets first, then the built-in tables).
 */
export function resolveLevel(level: unknown): number {
  try {
    return checkLevel(level, false);
  } catch (error) {
    if (typeof level !== 'string') throw error;
    const found = registered.get(level) ?? BUILT_IN.get(level.toLowerCase());
    if (found !== undefined) return found;
    throw new LevelError(
      `Unknown level: '${level}' (Python's DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a number, or a pino/winston level name such as trace, verbose, silent)`,
    );
  }
}

/** True when `name` is a pino/winston level name `resolveLevel` knows without any attached logger. */
export function isBuiltInForeignLevel(name: string): boolean {
  return BUILT_IN.has(name.toLowerCase());
}
