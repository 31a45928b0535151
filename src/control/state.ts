/**
 * What the control plane remembers in a process: its identity, its base configuration (what it
 * returns to), and the active temporary change (override) with its timer.
 *
 * Rules (documented in docs and the README):
 * - The base is the configuration in effect when no override is active (the config layer's
 *   current configuration; none when the process was configured in code).
 * - A change without `ttl` is permanent, like Python's listen: a permanent `apply` becomes the new
 *   base; a permanent `set` also updates what an active override will return to.
 * - A change with `ttl` is an override. Temporary `set`s stack (each remembers the level it
 *   replaced the first time); a temporary `apply` first drops any active override. The deadline is
 *   the latest temporary command's. `revert` or the deadline returns everything to the base.
 */
import { hostname } from 'node:os';
import { basename, extname } from 'node:path';
import { getProcessName } from '../core/process-info.js';
import { shown } from './escape.js';
import { packageVersion } from './package-version.js';
import type { OverrideInfo, ProcessIdentity, Requester } from './protocol.js';
import type { ConfigSpec } from '../config/spec.js';
import { getLogger, getLoggers } from '../core/logger.js';

/** One logger's state as an override found it. */
export interface LoggerSnapshot {
  level: number;
  propagate: boolean;
  disabled: boolean;
}

/** Every logger's level, propagate and disabled flag, to put back with {@link restoreLoggers}. */
export function snapshotLoggers(): Map<string, LoggerSnapshot> {
  const map = new Map<string, LoggerSnapshot>();
  for (const logger of getLoggers())
    map.set(logger.name, { level: logger.level, propagate: logger.propagate, disabled: logger.disabled });
  return map;
}

/** Puts back what {@link snapshotLoggers} saw (loggers created since keep their state). */
export function restoreLoggers(snapshot: Iterable<[string, LoggerSnapshot]>): void {
  for (const [name, snap] of snapshot) {
    const logger = getLogger(name);
    logger.setLevel(snap.level);
    logger.propagate = snap.propagate;
    logger.disabled = snap.disabled;
  }
}

/** The active temporary change. */
export interface Override {
  kind: 'apply' | 'set';
  description: string;
  requester: Requester;
  expiresAt: number;
  /** For `set`: the level each touched logger had before the first temporary set. */
  levels: Map<string, number>;
  /** For `apply`: every logger's state before it, restored after re-applying the base. */
  loggers?: Map<string, LoggerSnapshot>;
  /** For `apply`: the configuration in effect before it, re-applied when it ends. */
  base?: { spec: ConfigSpec; source: string | null };
  timer: NodeJS.Timeout | null;
}

let identity: ProcessIdentity | null = null;
let appName: string | null = null;

function defaultApp(): string {
  const fromEnv = process.env['LOGDIAL_APP'];
  if (fromEnv) return fromEnv;
  const script = process.argv[1];
  if (script) return basename(script, extname(script)) || 'node';
  return 'node';
}

/** Sets the app name this process reports (listen's `app` option). */
export function setAppName(name: string | undefined): void {
  if (name) appName = name;
  if (identity && name) identity.app = name;
}

/** This process's identity; `processName` is read fresh (it may be set after listen). */
export function processIdentity(): ProcessIdentity {
  if (!identity) {
    identity = {
      pid: process.pid,
      app: appName ?? defaultApp(),
      processName: getProcessName(),
      host: hostname(),
      startedAt: new Date(Date.now() - Math.round(process.uptime() * 1000)).toISOString(),
      version: packageVersion(),
    };
  }
  identity.processName = getProcessName();
  return { ...identity };
}

let active: Override | null = null;

/** The active override, if any. */
export function activeOverride(): Override | null {
  return active;
}

/** Replaces the active override (clearing the old timer). */
export function setOverride(next: Override | null): void {
  if (active?.timer) clearTimeout(active.timer);
  active = next;
}

/** The override as replies show it. */
export function overrideInfo(now = Date.now()): OverrideInfo | null {
  if (!active) return null;
  return {
    kind: active.kind,
    description: active.description,
    expiresAt: new Date(active.expiresAt).toISOString(),
    remainingMs: Math.max(0, active.expiresAt - now),
    requestedBy: describeRequester(active.requester),
  };
}

/**
 * Who asked for a change, for log lines and `status`: `client …`, `pid`, `uid`, `user`, `host`,
 * `from address` (as the sender stated them; only the transport is known for certain), `via …`.
 */
export function describeRequester(requester: Requester): string {
  const parts: string[] = [];
  // Every field but `via` is the sender's word: shown escaped, so it cannot forge a log line.
  if (requester.client) parts.push(`client ${shown(requester.client)}`);
  if (requester.pid !== undefined) parts.push(`pid ${requester.pid}`);
  if (requester.uid !== undefined) parts.push(`uid ${requester.uid}`);
  if (requester.user) parts.push(`user ${shown(requester.user)}`);
  if (requester.host) parts.push(`host ${shown(requester.host)}`);
  if (requester.address) parts.push(`from ${shown(requester.address)}`);
  return `${parts.length ? parts.join(' ') : 'an unidentified peer'} via ${requester.via}`;
}

/** Longest single setTimeout (2^31 - 1 ms); longer ttls re-arm. */
const MAX_TIMER = 0x7fffffff;

/**
 * Arms the override's timer; `onExpire` runs at `expiresAt`. Unref'd: a pending revert never keeps
 * a process alive that would otherwise exit.
 */
export function armTimer(override: Override, onExpire: () => void): void {
  if (override.timer) clearTimeout(override.timer);
  const wait = Math.max(0, Math.min(override.expiresAt - Date.now(), MAX_TIMER));
  override.timer = setTimeout(() => {
    if (active !== override) return;
    if (Date.now() + 5 < override.expiresAt) armTimer(override, onExpire);
    else onExpire();
  }, wait);
  override.timer.unref?.();
}
