/**
 * Triggers: a record at or above a level in a logger subtree brings its own detail. Each trigger
 * keeps, per configured logger, a ring of the last N records below what the configuration lets
 * through (a record tap, core/taps.ts, lowers the threshold to `backfillLevel` for that subtree);
 * when a record of the trigger's level is written, the ring is emitted first, through the
 * handlers of each record's own logger, each record marked `backfill`, in order, with its own
 * time. Then the trigger's listeners hear of it (the control layer opens its window of detail).
 *
 * Invariants: with no trigger, no tap exists and the logging path is unchanged; a ring never holds
 * more than its capacity; a record is emitted at most once (its `backfill` mark says it was);
 * records of `logdial` and its children (the control plane's own lines) never fire a trigger; a
 * listener that runs while a trigger fires cannot fire one again (no recursion through logging).
 */
import { BackfillRing } from './backfill-ring.js';
import { durationText } from './duration.js';
import { ERROR, levelName } from './levels.js';
import { addRecordTap, getLogger } from './logger.js';
import type { LogRecord } from './record.js';
import type { RecordTap } from './taps.js';

/** Whether a trigger's window opens in this process only, or in every process of the app (Redis bus). */
export type TriggerScope = 'process' | 'app';

/** One trigger, validated (the config layer builds these; see config/triggers-spec.ts). */
export interface TriggerDefinition {
  readonly name: string;
  /** Logger subtrees watched (`''` is the root: every logger). */
  readonly loggers: readonly string[];
  /** Records at or above this level fire the trigger (default ERROR). */
  readonly level: number;
  /** Records kept per watched logger (0: no backfill). */
  readonly backfill: number;
  /** The lowest level kept for backfill. */
  readonly backfillLevel: number;
  /** The window: loggers set to these levels for `forMs` after the trigger fires (none when absent). */
  readonly set?: Readonly<Record<string, number>> | undefined;
  readonly forMs?: number | undefined;
  /** A window extended by later fires never lasts longer than this from its opening. */
  readonly maxForMs?: number | undefined;
  /** After a window ends, fires open no new one for this long (a storm stays bounded). */
  readonly cooldownMs?: number | undefined;
  readonly scope: TriggerScope;
}

/** What a listener hears when a trigger fires. */
export interface TriggerFired {
  readonly trigger: TriggerDefinition;
  /** The firing record's logger (`root` for the root), level name and message. */
  readonly logger: string;
  readonly levelname: string;
  readonly message: string;
  /** Records emitted as backfill before it. */
  readonly flushed: number;
}

type FiredListener = (event: TriggerFired) => void;

const listeners = new Set<FiredListener>();
let active: TriggerTap[] = [];
let definitions: readonly TriggerDefinition[] = [];
let firing = false;

/** One watched subtree of one trigger: its ring and its tap. */
class TriggerTap implements RecordTap {
  readonly level: number;
  private readonly ring: BackfillRing | null;
  detach: () => void = () => {};

  constructor(
    readonly trigger: TriggerDefinition,
    readonly logger: string,
  ) {
    this.ring = trigger.backfill > 0 ? new BackfillRing(trigger.backfill) : null;
    this.level = trigger.backfill > 0 ? Math.min(trigger.backfillLevel, trigger.level) : trigger.level;
  }

  deliver(record: LogRecord, output: boolean): void {
    if (!output) {
      // Made for the taps alone: below what the configuration writes, so kept for a later fire.
      if (record.levelno >= this.trigger.backfillLevel) this.ring?.push(record);
      return;
    }
    if (record.levelno < this.trigger.level || record.backfill === true || isControlLine(record.name)) return;
    const flushed = this.ring ? flushRecords(this.ring.drain()) : 0;
    if (firing) return;
    firing = true;
    try {
      notify({
        trigger: this.trigger,
        logger: record.name,
        levelname: record.levelname,
        message: record.getMessage(),
        flushed,
      });
    } finally {
      firing = false;
    }
  }

  /** Records held now (for tests and the bench). */
  get held(): number {
    return this.ring?.size ?? 0;
  }
}

/** The control plane's own lines (`logdial`, `logdial.bus`): never a trigger's cause. */
function isControlLine(name: string): boolean {
  return name === 'logdial' || name.startsWith('logdial.');
}

/** Emits kept records through their loggers' handlers, marked; returns how many were emitted. */
function flushRecords(records: LogRecord[]): number {
  let emitted = 0;
  for (const record of records) {
    // Another trigger over the same logger may have emitted it already.
    if (record.backfill === true) continue;
    record.backfill = true;
    getLogger(record.name === 'root' ? '' : record.name).callHandlers(record);
    emitted++;
  }
  return emitted;
}

/**
 * The module that opens windows (control/trigger-window.ts) loads only when a trigger with a
 * window is configured, so `import 'logdial'` loads no control plane. Fires before it has loaded
 * wait for it (a bounded few).
 */
const windowModule = {
  load: null as (() => Promise<unknown>) | null,
  loading: false,
  early: [] as TriggerFired[],
};
const MAX_EARLY_FIRES = 64;

/** How the window module is loaded when first needed (src/index.ts). */
export function whenWindowsNeeded(load: () => Promise<unknown>): void {
  windowModule.load = load;
}

function loadWindowModule(next: readonly TriggerDefinition[]): void {
  if (windowModule.loading || !windowModule.load || !next.some((t) => t.set && t.forMs !== undefined)) return;
  windowModule.loading = true;
  windowModule.load().catch(() => {
    // Without the control layer a trigger still backfills; only its window is missing.
    windowModule.early = [];
  });
}

function notify(event: TriggerFired): void {
  if (listeners.size === 0 && windowModule.loading) {
    if (windowModule.early.length < MAX_EARLY_FIRES) windowModule.early.push(event);
    return;
  }
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener never breaks the application's logging call.
    }
  }
}

/**
 * Replaces the process's triggers with `next` (an empty list removes them all). Rings of the
 * replaced triggers are dropped unflushed.
 */
export function setTriggers(next: readonly TriggerDefinition[]): void {
  const old = active;
  active = [];
  definitions = Object.freeze([...next]);
  for (const tap of old) tap.detach();
  loadWindowModule(next);
  for (const trigger of next) {
    for (const logger of new Set(trigger.loggers)) {
      const tap = new TriggerTap(trigger, logger);
      tap.detach = addRecordTap(tap);
      active.push(tap);
    }
  }
}

/** The triggers in effect, as configured. */
export function getTriggers(): readonly TriggerDefinition[] {
  return definitions;
}

/** Calls `listener` each time a trigger fires (after its backfill); returns the unsubscribe function. */
export function onTriggerFired(listener: FiredListener): () => void {
  listeners.add(listener);
  const early = windowModule.early;
  windowModule.early = [];
  for (const event of early) notify(event);
  return () => listeners.delete(listener);
}

/** @internal Records held in each trigger's rings, by trigger name (tests, bench). */
export function heldRecords(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tap of active) out[tap.trigger.name] = (out[tap.trigger.name] ?? 0) + tap.held;
  return out;
}

/** One line per trigger, as `status` shows it. */
export function describeTrigger(t: TriggerDefinition): string {
  const parts = [`${t.name}: ${levelName(t.level)} in ${t.loggers.map((n) => n || 'root').join(', ')}`];
  if (t.backfill > 0) parts.push(`backfill ${t.backfill} from ${levelName(t.backfillLevel)}`);
  if (t.set && t.forMs !== undefined) {
    const levels = Object.entries(t.set).map(([n, l]) => `${n || 'root'}=${levelName(l)}`);
    const limits = `at most ${durationText(t.maxForMs ?? t.forMs)}, cooldown ${durationText(t.cooldownMs ?? 0)}`;
    parts.push(`window ${levels.join(' ')} for ${durationText(t.forMs)} (${limits})`);
  }
  if (t.scope === 'app') parts.push('scope app');
  return parts.join('; ');
}

/** The default trigger level. */
export const DEFAULT_TRIGGER_LEVEL = ERROR;
