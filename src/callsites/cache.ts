/**
 * The on-disk cache of `logdial/callsites`: which calls of a file to mark, found once by parsing,
 * kept under the SHA-256 of the file's source, so that later starts mark the file without loading
 * or running the parser. What is cached is the plan (spans, methods, argument counts), not the
 * marked text: site numbers depend on the order files load, and are given as each file loads.
 *
 * Where: `LOGDIAL_CALLSITES_CACHE` (a directory; `off` turns the cache off), else
 * `$XDG_CACHE_HOME/logdial/callsites`, else `~/.cache/logdial/callsites`.
 *
 * Invariants:
 * - the directory is created private (0700) and used only when it is a real directory owned by
 *   this user that no one else may write to;
 * - an entry is written private (0600) under a temporary name, then renamed: a reader sees a whole
 *   entry or none;
 * - an entry is used only when its checksum, its key and every span check out against the source
 *   being loaded; anything else is a miss, and the entry is rewritten;
 * - at most {@link MAX_ENTRIES} entries of at most {@link MAX_ENTRY_BYTES} each: a process that
 *   writes prunes the oldest, once;
 * - no error reaches the program: marks only save time.
 */
const {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const { homedir } = process.getBuiltinModule('node:os');
import { join } from 'node:path';
import { MAX_MARKED_ARGUMENTS, MethodFamily, type MarkedMethod } from '../core/call-site-marks.js';
import {
  type PlannedSite,
  type TransformOptions,
  type TransformResult,
  applyPlan,
  hasCandidateCall,
  planCallSites,
} from './transform.js';

export const CACHE_ENV = 'LOGDIAL_CALLSITES_CACHE';
/** Changes whenever what {@link planCallSites} marks changes: older entries are then never found. */
const PLAN_VERSION = 1;
export const MAX_ENTRIES = 4096;
export const MAX_ENTRY_BYTES = 1024 * 1024;
const ENTRY_SUFFIX = '.marks';

type SiteTuple = [number, number, number, number, string, number];

/** The cache directory the environment names, or `null` when the cache is off. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env[CACHE_ENV];
  if (chosen === 'off') return null;
  if (chosen) return chosen;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'logdial', 'callsites');
}

/** True when `dir` is a real directory of this user's that no one else may write to. */
function isPrivateDirectory(dir: string): boolean {
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return false;
  return typeof process.getuid !== 'function' || stat.uid === process.getuid();
}

/** A plan read back from an entry, checked against the source it is for (`undefined`: not valid). */
export function checkedPlan(value: unknown, source: string): PlannedSite[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const plan: PlannedSite[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 6) return undefined;
    const [receiverStart, receiverEnd, lastStart, lastEnd, method, count] = item as SiteTuple;
    const spans = [receiverStart, receiverEnd, lastStart, lastEnd];
    if (!spans.every((n) => Number.isInteger(n))) return undefined;
    if (!(0 <= receiverStart && receiverStart < receiverEnd && receiverEnd < lastStart)) return undefined;
    if (!(lastStart < lastEnd && lastEnd <= source.length)) return undefined;
    if (typeof method !== 'string' || !Object.hasOwn(MethodFamily, method)) return undefined;
    if (!Number.isInteger(count) || count < 1 || count > MAX_MARKED_ARGUMENTS) return undefined;
    // The method's name stands between the receiver and the arguments.
    if (!source.slice(receiverEnd, lastStart).includes(method)) return undefined;
    plan.push({ receiverStart, receiverEnd, lastStart, lastEnd, method: method as MarkedMethod, count });
  }
  return plan;
}

export class CallSiteCache {
  private usable: boolean | undefined;
  private pruned = false;
  private sha256: ((text: string) => string) | undefined;

  constructor(readonly dir: string) {}

  /** The marked source, the plan read from the cache or made (and stored) by parsing. */
  mark(source: string, options: TransformOptions): TransformResult {
    if (!hasCandidateCall(source)) return { code: source, sites: 0 };
    const key = this.keyOf(source, options.sourceType);
    let plan = this.read(key, source);
    if (plan === undefined) {
      plan = planCallSites(source, options.sourceType);
      this.write(key, plan);
    }
    return applyPlan(source, plan, options);
  }

  keyOf(source: string, sourceType: string): string {
    return this.hash(`logdial-callsites ${PLAN_VERSION} ${sourceType}\n${source}`);
  }

  private hash(text: string): string {
    this.sha256 ??= loadSha256();
    return this.sha256(text);
  }

  /** The plan stored for `key`, if there is a whole, valid one for `source`. */
  read(key: string, source: string): PlannedSite[] | undefined {
    if (!this.ready()) return undefined;
    let text: string;
    try {
      const fd = openSync(join(this.dir, key + ENTRY_SUFFIX), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
      try {
        if (fstatSync(fd).size > MAX_ENTRY_BYTES) return undefined;
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1);
    if (newline < 0 || text.slice(0, newline) !== this.hash(body)) return undefined;
    try {
      const entry = JSON.parse(body) as { key?: unknown; sites?: unknown };
      return entry.key === key ? checkedPlan(entry.sites, source) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores `plan` under `key`: private, atomic, bounded; silently nothing when it cannot. */
  write(key: string, plan: readonly PlannedSite[]): void {
    if (!this.ready()) return;
    const sites = plan.map((s): SiteTuple => [
      s.receiverStart,
      s.receiverEnd,
      s.lastStart,
      s.lastEnd,
      s.method,
      s.count,
    ]);
    const body = JSON.stringify({ key, sites });
    const text = `${this.hash(body)}\n${body}`;
    if (text.length > MAX_ENTRY_BYTES) return;
    const temporary = join(this.dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, join(this.dir, key + ENTRY_SUFFIX));
    } catch {
      try {
        unlinkSync(temporary);
      } catch {
        // never written
      }
      return;
    }
    if (!this.pruned) {
      this.pruned = true;
      this.prune();
    }
  }

  /** Creates the directory (private) on first use; false when it is not safe to use. */
  private ready(): boolean {
    if (this.usable === undefined) {
      try {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.usable = isPrivateDirectory(this.dir);
      } catch {
        this.usable = false;
      }
    }
    return this.usable;
  }

  /** Over {@link MAX_ENTRIES} files: removes the oldest, down to three quarters of it. */
  private prune(): void {
    try {
      const names = readdirSync(this.dir);
      if (names.length <= MAX_ENTRIES) return;
      const aged = names.map((name) => {
        try {
          return { name, mtime: statSync(join(this.dir, name)).mtimeMs };
        } catch {
          return { name, mtime: 0 };
        }
      });
      aged.sort((a, b) => a.mtime - b.mtime);
      for (const { name } of aged.slice(0, names.length - Math.floor((MAX_ENTRIES * 3) / 4))) {
        try {
          unlinkSync(join(this.dir, name));
        } catch {
          // removed by another process
        }
      }
    } catch {
      // the cache only saves time
    }
  }
}

/** `node:crypto` is loaded on the first file with a candidate call, not at start-up. */
function loadSha256(): (text: string) => string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return (text) => createHash('sha256').update(text).digest('hex');
}

let shared: CallSiteCache | null | undefined;

/** This thread's cache, per the environment (`null` when it is off). */
export function callSiteCache(): CallSiteCache | null {
  if (shared === undefined) {
    const dir = cacheDirectory();
    shared = dir === null ? null : new CallSiteCache(dir);
  }
  return shared;
}

/** Marks `source`, through the cache when there is one. */
export function markWithCache(source: string, options: TransformOptions): TransformResult {
  return (
    callSiteCache()?.mark(source, options) ?? applyPlan(source, planCallSites(source, options.sourceType), options)
  );
}
