/**
 * Triggers in configurations: the dict `triggers` key and the INI `[triggers]` / `[trigger_<name>]`
 * sections, validated into core's {@link TriggerDefinition}s (core/triggers.ts). Pure: nothing is
 * installed here; `applySpec` installs them.
 *
 * Bounds: at most {@link MAX_TRIGGERS} triggers, {@link MAX_TRIGGER_LOGGERS} loggers each, all
 * rings together at most {@link MAX_TOTAL_BACKFILL} records, durations of at most 30 days. A bad value is a
 * `ConfigError` naming the trigger and key.
 */
import { MAX_BACKFILL } from '../core/backfill-ring.js';
import { checkLevel, DEBUG, ERROR } from '../core/levels.js';
import { getTriggers, setTriggers, type TriggerDefinition, type TriggerScope } from '../core/triggers.js';
import { ConfigError } from './errors.js';
import { parseDuration } from '../core/duration.js';

/** Most triggers one configuration may define. */
export const MAX_TRIGGERS = 100;
/** Most loggers (watched, or set by the window) one trigger may name. */
export const MAX_TRIGGER_LOGGERS = 100;
/** Most records all rings of one configuration may hold together (backfill × watched loggers, summed). */
export const MAX_TOTAL_BACKFILL = 100_000;
/** Longest window, cap or cooldown: 30 days, like a `set --for`. */
const MAX_DURATION_MS = 30 * 24 * 3600 * 1000;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** One trigger in a dict config (`triggers: { dbErrors: { … } }`). */
export interface DictTriggerConfig {
  /** Logger subtrees watched (`root` or `''` for all). */
  loggers: string | string[];
  /** Records at or above it fire the trigger (default ERROR). */
  level?: string | number;
  /** Records kept before an error, per watched logger (default 0: none). */
  backfill?: number;
  /** Lowest level kept for backfill (default DEBUG). */
  backfill_level?: string | number;
  /** The window: logger → level while it is open. */
  set?: Record<string, string | number>;
  /** How long the window stays open (`5m`; a bare number is seconds). */
  for?: string | number;
  /** Longest a window extended by later fires may last (default 4 × `for`). */
  max_for?: string | number;
  /** No new window for this long after one ends (default `for`; 0 for none). */
  cooldown?: string | number;
  /** `app`: open the window in every process of the app (Redis bus). Default `process`. */
  scope?: TriggerScope;
}

/**
 * Triggers in code: validates `triggers` as the dict `triggers` key and replaces the process's
 * triggers with them (`{}` removes them). A later full configuration replaces them again.
 */
export function configureTriggers(triggers: Record<string, DictTriggerConfig>): void {
  const settings = triggersFromDict(triggers, (name, key, message, expected) => {
    throw new ConfigError(message, { path: ['triggers', name, key].filter(Boolean).join('.'), expected });
  });
  setTriggers(settings.triggers);
}

/** The triggers a configuration gives, and (incremental dicts) the names it removes (`name: null`). */
export interface TriggerSettings {
  triggers: TriggerDefinition[];
  removed: string[];
}

/**
 * What applying a configuration does to the triggers, checked before anything changes: a full
 * configuration replaces the process's triggers with its own (none when `settings` is undefined);
 * an incremental one changes only the triggers it names, adding or replacing them by name,
 * removing those set to null. Returns the install step (run once the rest succeeded).
 */
export function planTriggers(settings: TriggerSettings | undefined, incremental: boolean): () => void {
  if (!incremental) return () => setTriggers(settings?.triggers ?? []);
  if (settings === undefined) return () => {};
  const named = new Set([...settings.removed, ...settings.triggers.map((t) => t.name)]);
  const merged = [...getTriggers().filter((t) => !named.has(t.name)), ...settings.triggers];
  withinTotal(merged, (name, key, message, expected) => {
    throw new ConfigError(`with the process's other triggers, ${message}`, {
      path: ['triggers', name, key].filter(Boolean).join('.'),
      expected,
    });
  });
  return () => setTriggers(merged);
}

/** Reports a bad value: `key` is the trigger's key at fault (undefined: the trigger itself). */
export type TriggerFail = (name: string, key: string | undefined, message: string, expected: string) => never;

const KEYS = new Set(['loggers', 'level', 'backfill', 'backfill_level', 'set', 'for', 'max_for', 'cooldown', 'scope']);

/** The dict `triggers` value (a mapping of name → settings; `name: null` removes one) as settings. */
export function triggersFromDict(value: unknown, fail: TriggerFail): TriggerSettings {
  if (value === null || value === undefined) return { triggers: [], removed: [] };
  if (typeof value !== 'object' || Array.isArray(value))
    return fail('', undefined, 'triggers must be a mapping of trigger names to settings', '{ dbErrors: { … } }');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TRIGGERS)
    fail('', undefined, `${entries.length} triggers; at most ${MAX_TRIGGERS}`, 'fewer triggers');
  const removed = entries.filter(([, raw]) => raw === null).map(([name]) => name);
  const given = entries.filter(([, raw]) => raw !== null);
  const triggers = given.map(([name, raw]) => {
    if (typeof raw !== 'object' || Array.isArray(raw))
      fail(name, undefined, `trigger '${name}' must be a mapping (or null to remove it)`, '{ loggers: [...], … }');
    return buildTrigger(name, raw as Record<string, unknown>, fail);
  });
  return { triggers: withinTotal(triggers, fail), removed };
}

/** What is read of a parsed INI file (config/ini.ts's `Ini`). */
export interface IniTriggerReader {
  hasSection(section: string): boolean;
  readonly sections: ReadonlyMap<string, { readonly options: ReadonlyMap<string, unknown> }>;
  get(section: string, option: string, raw?: boolean): string | undefined;
}

/**
 * `[triggers] keys = a, b` and one `[trigger_a]` section each; `loggers = app.db, app.cache`,
 * `set = app.db:DEBUG, app.cache:INFO`, the other options as in a dict config. Undefined when the
 * file has no `[triggers]` section.
 */
export function triggersFromIni(ini: IniTriggerReader, fail: TriggerFail): TriggerSettings | undefined {
  if (!ini.hasSection('triggers')) return undefined;
  const keys = ini.get('triggers', 'keys', true) ?? '';
  const names = keys
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (names.length > MAX_TRIGGERS) fail('', undefined, `${names.length} triggers; at most ${MAX_TRIGGERS}`, 'fewer');
  const triggers = names.map((name) => {
    const section = `trigger_${name}`;
    if (!ini.hasSection(section))
      fail(
        name,
        undefined,
        `no section [${section}] for trigger '${name}' listed in [triggers] keys`,
        `a [${section}] section`,
      );
    const raw: Record<string, unknown> = {};
    for (const option of ini.sections.get(section)?.options.keys() ?? []) {
      const text = ini.get(section, option, true) ?? '';
      raw[option] = option === 'loggers' ? splitList(text) : option === 'set' ? iniLevels(name, text, fail) : text;
    }
    return buildTrigger(name, raw, fail);
  });
  return { triggers: withinTotal(triggers, fail), removed: [] };
}

/** Every ring together stays within {@link MAX_TOTAL_BACKFILL} records: a push cannot make memory grow without bound. */
function withinTotal(triggers: TriggerDefinition[], fail: TriggerFail): TriggerDefinition[] {
  let total = 0;
  for (const t of triggers) {
    total += t.backfill * new Set(t.loggers).size;
    if (total > MAX_TOTAL_BACKFILL)
      fail(
        t.name,
        'backfill',
        `the triggers' rings would hold ${total} records together (backfill × loggers, summed); at most ${MAX_TOTAL_BACKFILL}`,
        'smaller backfills or fewer watched loggers',
      );
  }
  return triggers;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

/** `app.db:DEBUG, app.cache:INFO` → { 'app.db': 'DEBUG', … }. */
function iniLevels(name: string, text: string, fail: TriggerFail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of splitList(text)) {
    const cut = item.lastIndexOf(':');
    if (cut < 0) fail(name, 'set', `'${item}' is not logger:LEVEL`, 'set = app.db:DEBUG, app.cache:INFO');
    out[item.slice(0, cut).trim()] = item.slice(cut + 1).trim();
  }
  return out;
}

/** One trigger's settings, validated. */
export function buildTrigger(name: string, raw: Record<string, unknown>, fail: TriggerFail): TriggerDefinition {
  if (!NAME.test(name))
    fail(name, undefined, `invalid trigger name '${name.slice(0, 100)}'`, 'letters, digits, _ . - (at most 100)');
  for (const key of Object.keys(raw))
    if (!KEYS.has(key)) fail(name, key, `unknown trigger setting '${key}'`, [...KEYS].join(', '));
  const at = (key: string, message: string, expected: string): never => fail(name, key, message, expected);
  const loggers = loggerNames(raw['loggers'], (m, e) => at('loggers', m, e));
  if (loggers.length === 0) at('loggers', `trigger '${name}' needs loggers`, "loggers: ['app.db'] (root for all)");
  const level = levelOf(raw['level'], ERROR, (m, e) => at('level', m, e));
  const backfill = countOf(raw['backfill'], (m, e) => at('backfill', m, e));
  const backfillLevel = levelOf(raw['backfill_level'], DEBUG, (m, e) => at('backfill_level', m, e));
  const set = windowLevels(raw['set'], (m, e) => at('set', m, e));
  const forMs = durationOf(raw['for'], (m, e) => at('for', m, e));
  if (set !== undefined && forMs === undefined)
    at('for', `trigger '${name}' sets levels but has no 'for'`, "for: '5m'");
  if (set === undefined && forMs !== undefined)
    at('set', `trigger '${name}' has 'for' but sets no levels`, "set: { 'app.db': 'DEBUG' }");
  if (set === undefined && backfill === 0)
    fail(
      name,
      undefined,
      `trigger '${name}' does nothing: give it backfill, or set and for`,
      'backfill: 200 and/or set + for',
    );
  const maxForMs =
    durationOf(raw['max_for'], (m, e) => at('max_for', m, e)) ??
    (forMs === undefined ? undefined : Math.min(4 * forMs, MAX_DURATION_MS));
  if (forMs !== undefined && maxForMs !== undefined && maxForMs < forMs)
    at('max_for', `max_for is shorter than for`, 'a duration at least as long as for');
  const cooldownMs = durationOf(raw['cooldown'], (m, e) => at('cooldown', m, e), true) ?? forMs;
  const scope = (raw['scope'] ?? 'process') as TriggerScope;
  if (scope !== 'process' && scope !== 'app')
    at('scope', `scope must be process or app, not ${JSON.stringify(scope)}`, 'process or app');
  return { name, loggers, level, backfill, backfillLevel, set, forMs, maxForMs, cooldownMs, scope };
}

type At = (message: string, expected: string) => never;

function loggerNames(value: unknown, at: At): string[] {
  const list = typeof value === 'string' ? splitList(value) : value;
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string'))
    return at('loggers must be a logger name or a list of names', "['app.db', 'app.cache']");
  if (list.length > MAX_TRIGGER_LOGGERS) at(`${list.length} loggers; at most ${MAX_TRIGGER_LOGGERS}`, 'fewer loggers');
  return (list as string[]).map((n) => loggerName(n, at));
}

function loggerName(raw: string, at: At): string {
  const name = raw.trim();
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(name) || name.length > 1024 || name.startsWith('.') || name.endsWith('.'))
    at(`invalid logger name '${name.slice(0, 80)}'`, 'a dotted name like app.db');
  return name === 'root' ? '' : name;
}

function levelOf(value: unknown, fallback: number, at: At): number {
  if (value === undefined || value === null || value === '') return fallback;
  try {
    return checkLevel(typeof value === 'string' ? value.trim() : value);
  } catch (error) {
    return at((error as Error).message, 'a level name such as DEBUG, INFO, ERROR, or a number');
  }
}

function countOf(value: unknown, at: At): number {
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_BACKFILL)
    return at(
      `backfill must be a whole number of records from 0 to ${MAX_BACKFILL}, not ${JSON.stringify(value)}`,
      'backfill: 200',
    );
  return n;
}

function windowLevels(value: unknown, at: At): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    return at('set must map loggers to levels', "{ 'app.db': 'DEBUG' }");
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_TRIGGER_LOGGERS)
    at(`set names ${entries.length} loggers; at most ${MAX_TRIGGER_LOGGERS}`, 'fewer');
  const out: Record<string, number> = {};
  for (const [name, level] of entries) out[loggerName(name, at)] = levelOf(level, NaN, at);
  for (const level of Object.values(out))
    if (Number.isNaN(level)) at('set needs a level for every logger', "{ 'app.db': 'DEBUG' }");
  return out;
}

function durationOf(value: unknown, at: At, zeroAllowed = false): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (zeroAllowed && (value === 0 || value === '0')) return 0;
  let ms: number;
  try {
    if (typeof value === 'number') ms = parseDuration(String(value), 's');
    else if (typeof value === 'string') ms = parseDuration(value, 's');
    else return at(`expected a duration, not ${typeof value}`, "'5m', '30s', or a number of seconds");
  } catch (error) {
    return at((error as Error).message, "'5m', '30s', or a number of seconds");
  }
  if (ms > MAX_DURATION_MS) at(`${ms} ms is longer than 30 days`, 'at most 30d');
  return ms;
}
