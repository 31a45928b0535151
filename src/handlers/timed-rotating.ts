/**
 * Python's `TimedRotatingFileHandler`: rolls the file over at time intervals, naming the old file
 * after the start of its interval (`app.log.2024-05-01_13`), with Python's rollover computation
 * (midnight / weekday / `atTime`, DST adjustment) and backup clean-up.
 */
const { existsSync, readdirSync, statSync, unlinkSync } = process.getBuiltinModule('node:fs');
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { LogRecord } from '../core/record.js';
import { breakDown, strftime } from '../format/strftime.js';
import type { FileHandlerOptions } from './file.js';
import { BaseRotatingHandler, isSpecialFile } from './rotating.js';

const MIDNIGHT = 24 * 60 * 60;

/** A time of day: `'HH:MM'`, `'HH:MM:SS'`, `{ hour, minute, second }` or a `Date` (its local time). */
export type AtTime = string | { hour: number; minute?: number; second?: number } | Date;

/** Options of {@link TimedRotatingFileHandler}. */
export interface TimedRotatingFileHandlerOptions extends Omit<FileHandlerOptions, 'mode'> {
  /** `S`, `M`, `H` (default), `D`, `midnight`, or `W0`–`W6` (0 is Monday); case-insensitive. */
  when?: string;
  /** Units of `when` between rollovers (default 1). */
  interval?: number;
  /** Rotated files kept; 0 (default) keeps all. */
  backupCount?: number;
  /** Use UTC for boundaries and suffixes instead of local time. */
  utc?: boolean;
  /** Time of day for `midnight` and `W0`–`W6` rollovers (default midnight). */
  atTime?: AtTime | null;
  /** @internal current time in ms (tests); default: the record's `created`, `Date.now()` otherwise. */
  clock?: () => number;
}

/** The fields of Python's `time.localtime` / `time.gmtime` used here. */
interface TimeParts {
  hour: number;
  minute: number;
  second: number;
  /** 0 is Monday, as Python's `tm_wday`. */
  weekday: number;
  /** `tm_isdst` (always false in UTC). */
  dst: boolean;
}

function timeParts(seconds: number, utc: boolean): TimeParts {
  const date = new Date(seconds * 1000);
  const t = breakDown(date, utc);
  return { hour: t.hour, minute: t.minute, second: t.second, weekday: (t.weekday + 6) % 7, dst: !utc && isDst(date) };
}

/** `tm_isdst`: the offset is the smaller (summer) one of a zone that has two. */
function isDst(d: Date): boolean {
  const year = d.getFullYear();
  const jan = new Date(year, 0, 1).getTimezoneOffset();
  const jul = new Date(year, 6, 1).getTimezoneOffset();
  return jan !== jul && d.getTimezoneOffset() === Math.min(jan, jul);
}

function parseAtTime(atTime: AtTime): { hour: number; minute: number; second: number } {
  if (atTime instanceof Date)
    return { hour: atTime.getHours(), minute: atTime.getMinutes(), second: atTime.getSeconds() };
  if (typeof atTime === 'string') {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(atTime.trim());
    if (!m) throw new Error(`invalid atTime '${atTime}' (expected HH:MM or HH:MM:SS)`);
    atTime = { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0) };
  }
  const value = { hour: atTime.hour, minute: atTime.minute ?? 0, second: atTime.second ?? 0 };
  if (!(
    value.hour >= 0 &&
    value.hour < 24 &&
    value.minute >= 0 &&
    value.minute < 60 &&
    value.second >= 0 &&
    value.second < 60
  )) {
    throw new Error(`invalid atTime ${JSON.stringify(atTime)}`);
  }
  return value;
}

/**
 * Rolls the log over every `interval` × `when`. The rotated file is named after the start of the
 * interval that ended: `app.log.%Y-%m-%d_%H-%M-%S` (S), `_%H-%M` (M), `_%H` (H), `.%Y-%m-%d`
 * (D, midnight, W0–W6). With `backupCount` > 0, the oldest rotated files beyond it are deleted.
 * If the rotated name exists already (another process rolled over), it is not overwritten.
 */
export class TimedRotatingFileHandler extends BaseRotatingHandler {
  /** Upper-cased `when`. */
  readonly when: string;
  /** Seconds between rollovers. */
  readonly interval: number;
  readonly backupCount: number;
  readonly utc: boolean;
  readonly atTime: { hour: number; minute: number; second: number } | null;
  /** strftime pattern of rotated names. */
  readonly suffix: string;
  /** Matches the date part of rotated names (Python's `extMatch`). */
  readonly extMatch: RegExp;
  /** Next rollover, seconds since the epoch. */
  rolloverAt: number;
  private readonly dayOfWeek: number = 0;
  private readonly clock: (() => number) | undefined;

  constructor(filename: string, options: TimedRotatingFileHandlerOptions = {}) {
    // Python starts from the file's mtime (a file it just created: now). Look before opening it.
    let start: number | undefined;
    try {
      start = Math.floor(statSync(resolve(filename)).mtimeMs / 1000);
    } catch {
      start = undefined;
    }
    super(filename, { encoding: options.encoding ?? null, delay: options.delay ?? false, mode: 'a' });
    this.claimRotation();
    const when = (options.when ?? 'h').toUpperCase();
    const interval = options.interval ?? 1;
    if (!Number.isFinite(interval) || interval <= 0) throw new RangeError(`interval must be > 0, not ${interval}`);
    this.when = when;
    this.backupCount = options.backupCount ?? 0;
    this.utc = options.utc ?? false;
    this.atTime = options.atTime ? parseAtTime(options.atTime) : null;
    this.clock = options.clock;
    let unit: number;
    if (when === 'S') {
      unit = 1;
      this.suffix = '%Y-%m-%d_%H-%M-%S';
      this.extMatch = /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(\.\w+)?$/;
    } else if (when === 'M') {
      unit = 60;
      this.suffix = '%Y-%m-%d_%H-%M';
      this.extMatch = /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}(\.\w+)?$/;
    } else if (when === 'H') {
      unit = 60 * 60;
      this.suffix = '%Y-%m-%d_%H';
      this.extMatch = /^\d{4}-\d{2}-\d{2}_\d{2}(\.\w+)?$/;
    } else if (when === 'D' || when === 'MIDNIGHT') {
      unit = MIDNIGHT;
      this.suffix = '%Y-%m-%d';
      this.extMatch = /^\d{4}-\d{2}-\d{2}(\.\w+)?$/;
    } else if (when.startsWith('W')) {
      unit = MIDNIGHT * 7;
      if (when.length !== 2)
        throw new Error(`You must specify a day for weekly rollover from 0 to 6 (0 is Monday): ${when}`);
      if (when.charAt(1) < '0' || when.charAt(1) > '6')
        throw new Error(`Invalid day specified for weekly rollover: ${when}`);
      this.dayOfWeek = Number(when[1]);
      this.suffix = '%Y-%m-%d';
      this.extMatch = /^\d{4}-\d{2}-\d{2}(\.\w+)?$/;
    } else {
      throw new Error(`Invalid rollover interval specified: ${options.when}`);
    }
    this.interval = unit * interval;
    this.rolloverAt = this.computeRollover(start ?? this.nowSeconds());
  }

  private nowSeconds(): number {
    return Math.floor((this.clock ? this.clock() : Date.now()) / 1000);
  }

  /** Python's `computeRollover`: the first rollover time after `currentTime` (seconds). */
  computeRollover(currentTime: number): number {
    let result = currentTime + this.interval;
    if (this.when === 'MIDNIGHT' || this.when.startsWith('W')) {
      const t = timeParts(currentTime, this.utc);
      let currentDay = t.weekday;
      const rotateTs =
        this.atTime === null ? MIDNIGHT : (this.atTime.hour * 60 + this.atTime.minute) * 60 + this.atTime.second;
      let r = rotateTs - ((t.hour * 60 + t.minute) * 60 + t.second);
      if (r < 0) {
        // The rotation time of day has passed: it is tomorrow.
        r += MIDNIGHT;
        currentDay = (currentDay + 1) % 7;
      }
      result = currentTime + r;
      if (this.when.startsWith('W')) {
        const day = currentDay;
        if (day !== this.dayOfWeek) {
          const daysToWait = day < this.dayOfWeek ? this.dayOfWeek - day : 6 - day + this.dayOfWeek + 1;
          let newRolloverAt = result + daysToWait * MIDNIGHT;
          if (!this.utc) {
            const dstNow = t.dst;
            const dstAtRollover = timeParts(newRolloverAt, false).dst;
            if (dstNow !== dstAtRollover) newRolloverAt += dstNow ? 3600 : -3600;
          }
          result = newRolloverAt;
        }
      }
    }
    return result;
  }

  override shouldRollover(record: LogRecord): boolean {
    const t = this.clock ? Math.floor(this.clock() / 1000) : Math.floor(record.created);
    if (t < this.rolloverAt) return false;
    if (isSpecialFile(this.baseFilename)) {
      // Never roll over /dev/null and the like; look again at the next boundary.
      this.rolloverAt = this.computeRollover(t);
      return false;
    }
    return true;
  }

  override emit(record: LogRecord): void {
    const line = this.format(record);
    // One comparison per line; the rest only at a boundary.
    if (this.shouldRollover(record)) this.doRollover();
    const sink = this.fileSink ?? this.ensureSink();
    if (sink) sink.write(line, this.terminator);
  }

  /** Python's `getFilesToDelete`: rotated files beyond `backupCount`, oldest first. */
  getFilesToDelete(): string[] {
    const dirName = dirname(this.baseFilename);
    const baseName = basename(this.baseFilename);
    const ext = extname(baseName);
    const prefix = (ext ? baseName.slice(0, -ext.length) : baseName) + '.';
    let result: string[] = [];
    let names: string[];
    try {
      names = readdirSync(dirName);
    } catch {
      return [];
    }
    for (const fileName of names) {
      if (this.namer === null) {
        if (!fileName.startsWith(baseName)) continue;
      } else if (
        !fileName.startsWith(baseName) &&
        fileName.endsWith(ext) &&
        fileName.length > prefix.length + 1 &&
        !/\d/.test(fileName.charAt(prefix.length + 1))
      ) {
        continue;
      }
      if (fileName.startsWith(prefix)) {
        const parts = fileName.slice(prefix.length).split('.');
        if (parts.some((part) => this.extMatch.test(part))) result.push(join(dirName, fileName));
      }
    }
    if (result.length < this.backupCount) return [];
    result.sort();
    result = result.slice(0, result.length - this.backupCount);
    return result;
  }

  override doRollover(): void {
    this.closeForRollover();
    const currentTime = this.nowSeconds();
    const dstNow = timeParts(currentTime, false).dst;
    // The start of the interval that ended, shifted by an hour if DST changed since (as Python).
    let t = this.rolloverAt - this.interval;
    if (!this.utc && dstNow !== timeParts(t, false).dst) t += dstNow ? 3600 : -3600;
    const dest = this.rotationFilename(`${this.baseFilename}.${strftime(this.suffix, t * 1000, this.utc)}`);
    // Python 3.11 removes an existing `dest`; we keep it (another process rolled over already)
    // rather than destroy its lines, and keep writing to the current file.
    if (!existsSync(dest)) {
      this.rotate(this.baseFilename, dest);
      if (this.backupCount > 0) {
        for (const file of this.getFilesToDelete()) {
          try {
            unlinkSync(file);
          } catch {
            // Removed meanwhile by someone else: fine.
          }
        }
      }
    }
    if (!this.delay) this.fileSink = this.open();
    let newRolloverAt = this.computeRollover(currentTime);
    while (newRolloverAt <= currentTime) newRolloverAt += this.interval;
    if ((this.when === 'MIDNIGHT' || this.when.startsWith('W')) && !this.utc) {
      const dstAtRollover = timeParts(newRolloverAt, false).dst;
      if (dstNow !== dstAtRollover) newRolloverAt += dstNow ? 3600 : -3600;
    }
    this.rolloverAt = newRolloverAt;
  }
}
