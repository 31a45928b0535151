/**
 * A trigger's window of detail: when a trigger with `set` + `for` fires (core/triggers.ts), its
 * loggers go to the chosen levels for a while, as a temporary override exactly like `set --for`
 * (control/state.ts): shown by `status`, audited, ended by its timer or by `revert`.
 *
 * Rules (pure, in {@link decideWindow}): a fire with no window of its trigger open opens one,
 * unless the trigger is cooling down (`cooldown` after its last window ended); a fire inside the
 * window extends it to `now + for`, never past `opened + max_for`. So an error storm keeps a
 * service at the window's levels for at most `max_for`, then `cooldown` without. A window only
 * lowers levels: a logger already more verbose (an operator's `set`) is left alone, and the
 * override's deadline only moves later. Audit lines: one on opening, extensions at most one per
 * fifth of `for`; the expiry line is the override's own.
 */
import { durationText } from '../core/duration.js';
import { levelName, NOTSET } from '../core/levels.js';
import { getLogger, hasLogger } from '../core/logger.js';
import { onTriggerFired, type TriggerDefinition, type TriggerFired } from '../core/triggers.js';
import { shown } from './escape.js';
import { expire as expireOverride, ownLevels } from './operations.js';
import type { Requester } from './protocol.js';
import { activeOverride, armTimer, setOverride, type Override } from './state.js';
import { publishToThreads } from './threads.js';
import { openFleetWindow } from './trigger-fleet.js';

/** What a fire does to its trigger's window. */
export type WindowDecision =
  | { action: 'open'; expiresAt: number }
  | { action: 'extend'; expiresAt: number }
  | { action: 'skip'; reason: 'cooldown' | 'capped' };

/** An open window as the decision needs it. */
export interface OpenWindow {
  openedAt: number;
  expiresAt: number;
}

/** Pure: what a fire of `trigger` at `now` does, given its open window and the end of its cooldown. */
export function decideWindow(
  trigger: Pick<TriggerDefinition, 'forMs' | 'maxForMs'>,
  now: number,
  open: OpenWindow | undefined,
  coolUntil: number,
): WindowDecision {
  const forMs = trigger.forMs ?? 0;
  if (open) {
    const cap = open.openedAt + (trigger.maxForMs ?? forMs);
    const next = Math.min(now + forMs, cap);
    return next > open.expiresAt ? { action: 'extend', expiresAt: next } : { action: 'skip', reason: 'capped' };
  }
  if (now < coolUntil) return { action: 'skip', reason: 'cooldown' };
  return { action: 'open', expiresAt: now + forMs };
}

/** A window this process opened, with the override that carries it. */
interface WindowState extends OpenWindow {
  override: Override;
  lastAuditAt: number;
  extensions: number;
}

const windows = new Map<string, WindowState>();
const cooldowns = new Map<string, number>();
/** Bounds the cooldown table when triggers keep being renamed. */
const MAX_COOLDOWNS = 1000;

/** The window of `name` if its override is still the active one; an ended window starts the cooldown. */
function liveWindow(trigger: TriggerDefinition, now: number): WindowState | undefined {
  const state = windows.get(trigger.name);
  if (!state) return undefined;
  if (activeOverride() === state.override && now < state.override.expiresAt) return state;
  windows.delete(trigger.name);
  // Ended by its timer, a revert or a push: the cooldown counts from the end (at latest, its deadline).
  if (cooldowns.size >= MAX_COOLDOWNS) cooldowns.clear();
  cooldowns.set(trigger.name, Math.min(now, state.override.expiresAt) + (trigger.cooldownMs ?? 0));
  return undefined;
}

function onFired(event: TriggerFired): void {
  const trigger = event.trigger;
  if (!trigger.set || trigger.forMs === undefined) return;
  const now = Date.now();
  const open = liveWindow(trigger, now);
  const decision = decideWindow(trigger, now, open, cooldowns.get(trigger.name) ?? 0);
  if (decision.action === 'skip') return;
  if (decision.action === 'extend' && open) return extend(trigger, open, decision.expiresAt, now);
  openWindow(event, decision.expiresAt, now);
  if (trigger.scope === 'app') openFleetWindow(trigger);
}

/** Opens the window: the trigger's levels joined to the active override (or a new one). */
function openWindow(event: TriggerFired, expiresAt: number, now: number): void {
  const trigger = event.trigger;
  const requester: Requester = { via: 'local', client: `trigger ${trigger.name}` };
  let override = activeOverride();
  if (!override) {
    override = { kind: 'set', description: '', requester, expiresAt, levels: new Map(), timer: null };
    setOverride(override);
  }
  const changed: string[] = [];
  for (const [name, level] of Object.entries(trigger.set ?? {})) {
    const logger = getLogger(name);
    if (logger.getEffectiveLevel() <= level) continue;
    if (!override.levels.has(name)) override.levels.set(name, hasLogger(name) || name === '' ? logger.level : NOTSET);
    logger.setLevel(level);
    changed.push(`${name || 'root'}=${levelName(level)}`);
  }
  const what = `trigger ${trigger.name} (${event.logger} ${event.levelname} ${JSON.stringify(shortMessage(event.message))})`;
  const text = `${what} set ${changed.join(' ') || 'nothing (already as verbose)'}`;
  override.description = override.description ? `${override.description}; ${text}` : text;
  override.expiresAt = Math.max(override.expiresAt, expiresAt);
  const carried = override;
  armTimer(carried, () => expireOverride(carried));
  windows.set(trigger.name, {
    override,
    openedAt: now,
    expiresAt: override.expiresAt,
    lastAuditAt: now,
    extensions: 0,
  });
  publishToThreads({ levels: ownLevels() });
  audit(
    'logdial: %s fired%s: set %s for %s, until %s',
    what,
    event.flushed > 0 ? ` after ${event.flushed} backfilled records` : '',
    changed.join(' ') || 'nothing (already as verbose)',
    durationText(trigger.forMs ?? 0),
    new Date(override.expiresAt).toISOString(),
  );
}

function extend(trigger: TriggerDefinition, state: WindowState, expiresAt: number, now: number): void {
  state.extensions++;
  state.expiresAt = state.override.expiresAt = Math.max(state.override.expiresAt, expiresAt);
  const carried = state.override;
  armTimer(carried, () => expireOverride(carried));
  if (now - state.lastAuditAt < Math.max(1000, (trigger.forMs ?? 0) / 5)) return;
  state.lastAuditAt = now;
  audit(
    'logdial: trigger %s fired again (%d times since the window opened): window until %s',
    trigger.name,
    state.extensions,
    new Date(state.expiresAt).toISOString(),
  );
}

/** After the firing record's own line: an audit line written inside its call would come first. */
function audit(format: string, ...args: unknown[]): void {
  queueMicrotask(() => getLogger('logdial').info(format, ...args));
}

function shortMessage(message: string): string {
  const text = shown(message);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** @internal Forgets every window and cooldown (tests). */
export function resetTriggerWindows(): void {
  windows.clear();
  cooldowns.clear();
}

onTriggerFired(onFired);
