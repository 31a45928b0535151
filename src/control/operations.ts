/**
 * The one place control commands are carried out. Every transport (Unix socket, TCP, Python's
 * legacy frames, the Redis bus) decodes a {@link ControlCommand} and calls {@link executeCommand};
 * it never throws, and always answers with a {@link ControlReply}.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { resolveLevel } from '../core/foreign-levels.js';
import { levelName, NOTSET } from '../core/levels.js';
import {
  batchLevelChanges,
  getLogger,
  getLoggers,
  getRootLogger,
  hasLogger,
  loggerIndex,
  type Logger,
} from '../core/logger.js';
import { describeTrigger, getTriggers } from '../core/triggers.js';
import { lateCommand } from './deadline.js';
import { errorLine } from './error-line.js';
import { BaseDestinations } from './base-destinations.js';
import { shown } from './escape.js';
import { foreignNameProblem, foreignView, levelText } from './foreign-loggers.js';
import { withoutForeignParts } from './foreign-push.js';
import { getCurrentConfig, specAddresses, specFilePaths } from '../config/apply.js';
import { runAll, runInSlices } from '../config/slices.js';
import type { ConfigSpec } from '../config/spec.js';
import { Handler } from '../handlers/handler.js';
import { readPushedSpec } from './push-reader.js';
import { describeError } from './reply-error.js';
import {
  rejectionReply,
  type ApplyCommand,
  type ConfigFormat,
  type ControlCommand,
  type ControlReply,
  type HandlerStatus,
  type LoggerStatus,
  type NotApplied,
  type ReplyError,
  type Requester,
  type SetLevelsCommand,
  type StatusInfo,
} from './protocol.js';
import {
  activeOverride,
  armTimer,
  describeRequester,
  overrideInfo,
  processIdentity,
  restoreLoggers,
  setOverride,
  snapshotLoggers,
  type Override,
} from './state.js';
import { applyAsControl, prepareAsControl, publishToThreads, type PreparedConfig } from './threads.js';

/** Options that shape how this process accepts changes (set by `listen`). */
export interface OperationOptions {
  /**
   * Extra directories (or files) a pushed config may write to; entries like `udp://host:514` or
   * `tcp://host:514` are network destinations a pushed syslog handler may send to.
   */
  allowPaths: string[];
}

const options: OperationOptions = { allowPaths: [] };

/** Adds directories a pushed config may write to (listen's `allowPaths`). */
export function configureOperations(next: Partial<OperationOptions>): void {
  if (next.allowPaths)
    options.allowPaths = [
      ...new Set([...options.allowPaths, ...next.allowPaths.map((p) => (NETWORK_URL.test(p) ? p : resolve(p)))]),
    ];
}

const NETWORK_URL = /^(udp|tcp):\/\//;

/** Most loggers one `set` may name. */
export const MAX_SET_LOGGERS = 1000;
/** Longest logger name a `set` may use. */
const MAX_LOGGER_NAME = 1024;

/** Longest ttl accepted: 30 days (a forgotten override should still end). */
export const MAX_TTL_MS = 30 * 24 * 3600 * 1000;

const changeLog = () => getLogger('logdial');

/** A command failed validation: the reply is `rejected` with this message. */
class Rejection extends Error {
  constructor(readonly replyError: ReplyError) {
    super(replyError.message);
  }
}

/**
 * Carries out `cmd` for `requester` and resolves with the reply; never rejects. Changes happen
 * synchronously inside this call (between two log calls), so a reply's `levels` are what the next
 * log line sees.
 */
export async function executeCommand(cmd: ControlCommand, requester: Requester): Promise<ControlReply> {
  const op = isCommand(cmd) ? cmd.op : 'unknown';
  try {
    if (!isCommand(cmd))
      throw new Rejection({
        message: 'not a logdial command (expected a JSON object with op: ping|status|apply|set|revert)',
      });
    const late = lateCommand(cmd.deadline, Date.now());
    if (late) throw new Rejection({ message: late });
    switch (cmd.op) {
      case 'ping':
        return reply(cmd.op, true, 'pong');
      case 'status':
        return { ...reply(cmd.op, true, 'ok'), status: statusInfo() };
      case 'set':
        return doSet(cmd, requester);
      case 'apply':
        return await doApply(cmd, requester, await readApply(cmd));
      case 'revert':
        return doRevert(requester);
    }
  } catch (error) {
    const replyError = shownError(error instanceof Rejection ? error.replyError : describeError(error));
    if (op === 'apply' || op === 'set') {
      // A refused change is worth a line too: someone tried to change this process's logging.
      const what = op === 'apply' ? `push ${sourceOf(cmd as ApplyCommand)}` : 'set';
      changeLog().warning(
        'logdial: rejected %s requested by %s: %s',
        what,
        describeRequester(requester),
        errorLine(replyError),
      );
    }
    return rejectionReply(op, replyError, processIdentity(), { levels: currentLevels(), override: overrideInfo() });
  }
}

/** An error as replies and log lines show it: peer text escaped, credentials hidden. */
function shownError(error: ReplyError): ReplyError {
  const out: ReplyError = { message: shown(error.message) };
  if (error.location !== undefined) out.location = shown(error.location);
  return out;
}

/** The source a push names, as logs, status and errors show it. */
function sourceOf(cmd: ApplyCommand): string {
  return typeof cmd.source === 'string' && cmd.source ? shown(cmd.source).slice(0, 1024) : '<pushed>';
}

function isCommand(value: unknown): value is ControlCommand {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const op = (value as { op?: unknown }).op;
  return op === 'ping' || op === 'status' || op === 'apply' || op === 'set' || op === 'revert';
}

function reply(
  op: ControlReply['op'],
  ok: boolean,
  result: string,
  state: ReplyState = { levels: levelsNow(), override: overrideInfo() },
): ControlReply {
  return replyWith(op, ok, result, levelsRecord(state.levels), state.override);
}

function replyWith(
  op: ControlReply['op'],
  ok: boolean,
  result: string,
  levels: Record<string, string>,
  override: ReplyState['override'],
): ControlReply {
  return { ok, op, result, process: processIdentity(), levels, override };
}

/** What a reply states about the process, read at the moment it describes. */
interface ReplyState {
  levels: LevelsSnapshot;
  override: ReturnType<typeof overrideInfo>;
}

/** Effective levels of root and of every logger that has its own level or handlers. */
export function currentLevels(extra: Iterable<string> = []): Record<string, string> {
  return levelsRecord(levelsNow(extra));
}

/**
 * The loggers a reply reports and the level each had (or {@link DISABLED}), taken in the middle of
 * a change: references and numbers in two arrays, unsorted, not even deduplicated (a logger listed
 * twice had one level), so that taking it stays cheap with thousands of loggers; the names and
 * texts are made when the reply is built.
 */
interface LevelsSnapshot {
  readonly loggers: Logger[];
  readonly levels: number[];
}

/** A disabled logger in a {@link LevelsSnapshot}. */
const DISABLED = -1;

function levelsNow(extra: Iterable<string> = []): LevelsSnapshot {
  // Only the loggers reported are visited: a reply costs what it says.
  const loggers = [getRootLogger(), ...loggerIndex.withLevel, ...loggerIndex.withHandlers, ...loggerIndex.disabled];
  for (const name of extra) loggers.push(getLogger(name));
  const levels = loggers.map((logger) => (logger.disabled ? DISABLED : logger.getEffectiveLevel()));
  return { loggers, levels };
}

/** A snapshot as replies show it: by name, root first. */
function levelsRecord(snapshot: LevelsSnapshot): Record<string, string> {
  return runAll(levelsRecordSteps(snapshot));
}

/**
 * {@link levelsRecord} as steps: a process that took a few large pushes has thousands of loggers
 * with a level, and building their texts and this object is most of a large reply's cost, so a
 * push's reply builds it in slices (the sort, native, is one).
 */
function* levelsRecordSteps(snapshot: LevelsSnapshot): Generator<unknown, Record<string, string>> {
  const texts = new Map<string, string>();
  let count = 0;
  for (const [i, level] of snapshot.levels.entries()) {
    const name = snapshot.loggers[i]?.name ?? '';
    texts.set(name, level === DISABLED ? 'DISABLED' : levelText(name, level, levelName));
    if (++count % 64 === 0) yield;
  }
  // UTF-16 code-unit order, as `<` compares; '' (root) first.
  const names = [...texts.keys()].sort();
  yield;
  const levels: Record<string, string> = {};
  for (const name of names) {
    levels[name === '' ? 'root' : name] = texts.get(name) ?? '';
    if (++count % 64 === 0) yield;
  }
  return levels;
}

function displayName(logger: Logger): string {
  return logger.name === '' ? 'root' : logger.name;
}

function loggerKey(name: string): string {
  return name === 'root' ? '' : name;
}

function ttlOf(ttl: unknown): number | undefined {
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)
    throw new Rejection({ message: `ttl must be a positive number of milliseconds, got ${JSON.stringify(ttl)}` });
  if (ttl > MAX_TTL_MS) throw new Rejection({ message: `ttl of ${ttl} ms is longer than the maximum of 30 days` });
  return ttl;
}

function formatDuration(ms: number): string {
  if (ms % 3600000 === 0) return `${ms / 3600000}h`;
  if (ms % 60000 === 0) return `${ms / 60000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function expiryText(ttl: number | undefined, expiresAt?: number): string {
  if (ttl === undefined) return 'permanent';
  return `for ${formatDuration(ttl)}, until ${new Date(expiresAt ?? Date.now() + ttl).toISOString()}`;
}

// ----------------------------------------------------------------------------------------------
// set

function doSet(cmd: SetLevelsCommand, requester: Requester): ControlReply {
  const ttl = ttlOf(cmd.ttl);
  if (
    !cmd.levels ||
    typeof cmd.levels !== 'object' ||
    Array.isArray(cmd.levels) ||
    Object.keys(cmd.levels).length === 0
  ) {
    throw new Rejection({ message: 'set needs levels: { "logger": "LEVEL", ... }' });
  }
  // Every name creates a logger that lives as long as the process: bound what one command can add.
  if (Object.keys(cmd.levels).length > MAX_SET_LOGGERS) {
    throw new Rejection({
      message: `set names ${Object.keys(cmd.levels).length} loggers; at most ${MAX_SET_LOGGERS} per command`,
    });
  }
  // Validate everything before changing anything.
  const changes = levelChanges(cmd.levels);
  const missing =
    cmd.create === true ? [] : changes.map(([name]) => name).filter((name) => name !== '' && !hasLogger(name));
  const [firstMissing] = missing;
  if (firstMissing !== undefined) throw new Rejection(missingLoggers(firstMissing, missing));
  // One refresh of the changed subtrees for the whole command, however many loggers it names.
  batchLevelChanges(() => applySet(changes, ttl, requester));
  const what = changesText(changes);
  publishToThreads({ levels: ownLevels }, 'soon');
  changeLog().info(
    'logdial: set %s (%s) requested by %s',
    what,
    expiryText(ttl, activeOverride()?.expiresAt),
    describeRequester(requester),
  );
  return reply('set', true, ttl === undefined ? 'applied' : `applied for ${formatDuration(ttl)}`);
}

/** The level changes of a `set`: permanent ones also survive an override's end; with a ttl, an override records the old levels. */
function applySet(changes: Array<[string, number]>, ttl: number | undefined, requester: Requester): void {
  const override = activeOverride();
  if (ttl === undefined) {
    for (const [name, level] of changes) {
      getLogger(name).setLevel(level);
      // A permanent change survives the end of an override.
      override?.levels.set(name, level);
      const snap = override?.loggers?.get(name);
      if (snap) snap.level = level;
    }
  } else {
    let target = override;
    if (!target) {
      target = { kind: 'set', description: '', requester, expiresAt: 0, levels: new Map(), timer: null };
      setOverride(target);
    }
    for (const [name, level] of changes) {
      if (!target.levels.has(name))
        target.levels.set(name, hasLogger(name) || name === '' ? getLogger(name).level : NOTSET);
      getLogger(name).setLevel(level);
    }
    target.expiresAt = Date.now() + ttl;
    target.requester = requester;
    const text = changesText(changes);
    target.description = target.description ? `${target.description}; set ${text}` : `set ${text}`;
    armTimer(target, () => expire(target));
  }
}

/** The `[logger, level]` pairs of a `set`, every name and level checked; throws a Rejection naming the first bad one. */
function levelChanges(levels: Record<string, string | number>): Array<[string, number]> {
  const changes: Array<[string, number]> = [];
  for (const [rawName, rawLevel] of Object.entries(levels)) {
    const name = loggerKey(rawName.trim());
    if (
      /[\s\u0000-\u001f\u007f-\u009f]/.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..') ||
      name.length > MAX_LOGGER_NAME
    ) {
      const cut = rawName.length > 80 ? `${rawName.slice(0, 80)}…` : rawName;
      throw new Rejection({
        message: `invalid logger name '${cut}' (dotted names like app.db without spaces or control characters, at most ${MAX_LOGGER_NAME} characters)`,
        location: cut,
      });
    }
    const problem = foreignNameProblem(name);
    if (problem) throw new Rejection({ message: problem, location: rawName });
    let level: number;
    try {
      level = resolveLevel(rawLevel);
    } catch (error) {
      throw new Rejection({ message: (error as Error).message, location: rawName || 'root' });
    }
    changes.push([name, level]);
  }
  return changes;
}

/**
 * A `set` naming loggers the process does not have is most likely a typo: applied, it would report
 * success and change nothing that logs. `create: true` (`--create`) is how to mean it.
 */
/** The rejection of a `set` naming loggers this process lacks; located at the first of them. */
function missingLoggers(first: string, names: string[]): ReplyError {
  const listed =
    names
      .slice(0, 5)
      .map((n) => `'${n}'`)
      .join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  return {
    message: `no logger named ${listed} in this process; nothing was changed (\`logdial status\` lists its loggers; to create ${names.length > 1 ? 'them' : 'it'}, for code that has not run yet, add --create)`,
    location: first,
  };
}

function changesText(changes: Array<[string, number]>): string {
  return changes.map(([n, l]) => `${n || 'root'}=${levelText(n, l, levelName)}`).join(' ');
}

// ----------------------------------------------------------------------------------------------
// apply

/** A pushed config, read and validated (off the main thread, within the push limits); nothing changed yet. */
interface ReadApply {
  spec: ConfigSpec;
  /** What of the pushed spec cannot apply to pino/winston loggers (left out of `spec`). */
  notApplied: NotApplied[];
  format: ConfigFormat;
  source: string;
  disableExisting: boolean;
  /** Built off to the side, in slices; `commit()` is the swap. */
  prepared: PreparedConfig;
}

async function readApply(cmd: ApplyCommand): Promise<ReadApply> {
  ttlOf(cmd.ttl);
  const format: ConfigFormat = cmd.format;
  if (format !== 'ini' && format !== 'json' && format !== 'yaml')
    throw new Rejection({ message: `unknown config format ${JSON.stringify(cmd.format)} (ini, json or yaml)` });
  if (typeof cmd.config !== 'string') throw new Rejection({ message: 'apply needs config text' });
  const source = sourceOf(cmd);
  const read = await readPushedSpec(cmd.config, format, source);
  // Handlers and formatters cannot apply to pino/winston loggers: left out, and said so in the reply.
  const { spec, notApplied } = withoutForeignParts(read.spec, (name) => foreignView(name)?.kind);
  // Pushes keep existing loggers unless asked (or the dictConfig text says so itself).
  const disableExisting =
    typeof cmd.disableExisting === 'boolean' ? cmd.disableExisting : (read.disableExisting ?? false);
  // The config layer checks every file path against the allow-list before opening anything.
  const prepared = await prepareAsControl(spec, {
    disableExisting,
    allowPath: checkAllowedPath,
    allowAddress: checkAllowedAddress,
    source,
  });
  return { spec, notApplied, format, source, disableExisting, prepared };
}

async function doApply(
  cmd: ApplyCommand,
  requester: Requester,
  { spec, notApplied, format, source, disableExisting, prepared }: ReadApply,
): Promise<ControlReply> {
  const ttl = ttlOf(cmd.ttl);
  rememberBase();
  const previous = activeOverride();
  // What this push returns to when temporary: the configuration in effect before any override.
  const baseConfig = previous?.kind === 'apply' && previous.base ? previous.base : currentConfig();
  if (ttl !== undefined && !baseConfig) {
    prepared.discard();
    throw new Rejection({
      message:
        'a temporary push needs a base configuration to return to, and this process was configured in code (use set --for, or push without --for)',
    });
  }
  // A push starts from the base: a temporary `set` is undone first (the push was built already
  // and its swap cannot fail, so a rejected push never gets here); a temporary push is simply
  // replaced, keeping the logger states and configuration it found, so the end of the new one
  // still returns to the base.
  if (previous?.kind === 'set') for (const [name, level] of previous.levels) getLogger(name).setLevel(level);
  const snapshot =
    ttl === undefined
      ? undefined
      : previous?.kind === 'apply' && previous.loggers
        ? previous.loggers
        : snapshotLoggers();
  // The swap: synchronous and cannot fail (everything was checked and built in readApply).
  prepared.commit();
  baseDestinations.markPushed(spec);
  if (ttl === undefined) {
    setOverride(null);
  } else {
    const override: Override = {
      kind: 'apply',
      description: `push ${source}`,
      requester,
      expiresAt: Date.now() + ttl,
      levels: new Map(),
      loggers: snapshot!,
      base: baseConfig!,
      timer: null,
    };
    setOverride(override);
    armTimer(override, () => expire(override));
  }
  publishToThreads(
    {
      apply: { config: cmd.config, format, source, disableExisting, temporary: ttl !== undefined },
      levels: ownLevels,
    },
    'soon',
  );
  changeLog().info(
    'logdial: applied %s (%s config%s, %s) requested by %s',
    source,
    format,
    disableExisting ? ', disable_existing_loggers' : '',
    expiryText(ttl, activeOverride()?.expiresAt),
    describeRequester(requester),
  );
  // The state right after the swap, taken cheaply now; the reply (a large object to build and
  // encode when many loggers have levels) is built from the next turn on, in slices of its own.
  const levelsThen = levelsNow();
  const overrideThen = overrideInfo();
  const levels = await runInSlices(levelsRecordSteps(levelsThen));
  const result = ttl === undefined ? 'applied' : `applied for ${formatDuration(ttl)}`;
  const done = replyWith('apply', true, result, levels, overrideThen);
  if (notApplied.length === 0) return done;
  changeLog().warning('logdial: not applied from %s: %s', source, notApplied.map((n) => n.item).join(', '));
  return { ...done, result: `${done.result}, ${notApplied.length} not applied`, notApplied };
}

/** The base configuration: what is in effect when no temporary push is (null: configured in code). */
function baseConfigNow(): { spec: ConfigSpec; source: string | null } | null {
  const override = activeOverride();
  if (override?.kind === 'apply' && override.base) return override.base;
  return currentConfig();
}

/** What every configuration the process applied itself wrote to: allowed for the life of the process. */
const baseDestinations = new BaseDestinations();

function rememberBase(): void {
  const base = baseConfigNow();
  baseDestinations.remember(base?.spec, () => ({
    paths: specFilePaths(base!.spec),
    addresses: specAddresses(base!.spec),
  }));
}

/**
 * Directories a pushed config may write to: `allowPaths`, those of the base config's files, and
 * those of every configuration the process applied itself (whatever was pushed since).
 */
export function allowedRoots(): string[] {
  rememberBase();
  const roots = new Set(options.allowPaths.filter((p) => !NETWORK_URL.test(p)).map(canonical));
  for (const dir of baseDestinations.directories) roots.add(canonical(dir));
  const base = baseConfigNow();
  if (base) {
    for (const file of specFilePaths(base.spec)) roots.add(canonical(dirname(resolve(file))));
  }
  return [...roots];
}

/** Resolves symlinks of the longest existing prefix, so a link cannot lead out of an allowed dir. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(canonical(parent), relative(parent, path));
  }
}

/** True when `path` lies inside an allowed root (or is an allowed file). */
export function isAllowedPath(path: string): boolean {
  const target = canonical(resolve(path));
  return allowedRoots().some((root) => {
    const rel = relative(root, target);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

function checkAllowedPath(path: string): void {
  if (isAllowedPath(path)) return;
  const roots = allowedRoots();
  throw new Error(
    `outside the directories this process allows a pushed config to write to (${roots.length ? roots.join(', ') : 'none: the base config writes no files'}); to allow more, start the process with listen({ allowPaths }) or LOGDIAL_ALLOW_PATHS`,
  );
}

/**
 * Network destinations a pushed config may send to: the local syslog port (514 on localhost), the
 * base config's destinations and `udp://…`/`tcp://…` entries of `allowPaths`. Anything else would
 * let a push send bytes it chooses (its format string) to any service the process can reach.
 */
export function allowedAddresses(): string[] {
  const allowed = new Set<string>();
  for (const transport of ['udp', 'tcp'])
    for (const host of ['localhost', '127.0.0.1', '[::1]', '::1']) allowed.add(`${transport}://${host}:514`);
  for (const entry of options.allowPaths) if (NETWORK_URL.test(entry)) allowed.add(entry);
  rememberBase();
  for (const address of baseDestinations.addresses) allowed.add(address);
  const base = baseConfigNow();
  if (base) for (const address of specAddresses(base.spec)) allowed.add(address);
  return [...allowed];
}

function checkAllowedAddress(address: string): void {
  if (allowedAddresses().includes(address)) return;
  throw new Error(
    `not a destination this process allows a pushed config to send to (the local syslog port 514, the base config's destinations, or udp://…/tcp://… entries of listen's allowPaths)`,
  );
}

// ----------------------------------------------------------------------------------------------
// revert and expiry

function doRevert(requester: Requester): ControlReply {
  const override = activeOverride();
  if (!override) return reply('revert', true, 'nothing to revert');
  restore(override);
  setOverride(null);
  publishToThreads({ levels: ownLevels, revert: true }, 'soon');
  changeLog().info(
    'logdial: reverted %s to the base configuration, requested by %s',
    override.description,
    describeRequester(requester),
  );
  return reply('revert', true, 'reverted');
}

/** Ends `override` when its time is up (also a trigger's window: control/trigger-window.ts). */
export function expire(override: Override): void {
  if (activeOverride() !== override) return;
  try {
    restore(override);
  } catch (error) {
    process.stderr.write(`logdial: could not revert ${override.description}: ${shown(describeError(error).message)}\n`);
  }
  setOverride(null);
  publishToThreads({ levels: ownLevels, revert: true }, 'soon');
  changeLog().info('logdial: %s expired; back to the base configuration', override.description);
}

/** Returns to the base: old levels for a `set` override; base config + logger states for `apply`. */
function restore(override: Override): void {
  if (override.kind === 'apply') {
    // disableExisting false: loggers created during the override stay enabled; the snapshot then
    // puts back every earlier logger's level, propagate and disabled flag.
    if (override.base) applyAsControl(override.base.spec, { disableExisting: false, source: override.base.source });
    restoreLoggers(override.loggers ?? []);
  }
  for (const [name, level] of override.levels) getLogger(name).setLevel(level);
}

/** The own level of every logger that has one (and root's), for worker threads. */
export function ownLevels(): Record<string, number> {
  const levels: Record<string, number> = { '': getRootLogger().level };
  for (const logger of loggerIndex.withLevel) levels[logger.name] = logger.level;
  return levels;
}

// ----------------------------------------------------------------------------------------------
// status

/** The logger tree, handlers, config source and override, for `status`. */
export function statusInfo(): StatusInfo {
  const handlerIds = new Map<object, string>();
  const handlers: HandlerStatus[] = [];
  const formatterNames = formatterIds();
  const idOf = (handler: object & { name?: string | null }): string => {
    let id = handlerIds.get(handler);
    if (!id) {
      id = handler.name ?? `#${handlerIds.size + 1}`;
      handlerIds.set(handler, id);
      const h = handler as {
        name?: string | null;
        level?: number;
        formatter?: { constructor?: { name?: string }; name?: string } | null;
      };
      const target = handler instanceof Handler ? handler.target : undefined;
      const entry: HandlerStatus = {
        name: h.name ?? null,
        class: handler.constructor?.name ?? 'Object',
        level: levelName(h.level ?? 0),
      };
      if (target !== undefined) entry.target = shown(target);
      if (h.formatter)
        entry.formatter = formatterNames.get(h.formatter) ?? h.formatter.constructor?.name ?? 'formatter';
      handlers.push(entry);
    }
    return id;
  };
  const loggers: LoggerStatus[] = getLoggers().map((logger) =>
    foreignStatus(logger, {
      name: displayName(logger),
      level: levelName(logger.level),
      effectiveLevel: levelName(logger.getEffectiveLevel()),
      propagate: logger.propagate,
      disabled: logger.disabled,
      handlers: logger.handlers.map((h) => idOf(h as object & { name?: string | null })),
    }),
  );
  const info: StatusInfo = {
    loggers,
    handlers,
    configSource: shown(currentConfig()?.source) ?? null,
    override: overrideInfo(),
  };
  if (getTriggers().length > 0) info.triggers = getTriggers().map((t) => shown(describeTrigger(t)));
  return info;
}

/** A pino/winston logger's status: levels in its library's words, Python's numbers beside them. */
function foreignStatus(logger: Logger, entry: LoggerStatus): LoggerStatus {
  const view = foreignView(logger.name);
  if (!view) return entry;
  const effective = view.effectiveLevel?.() ?? logger.getEffectiveLevel();
  const out: LoggerStatus = {
    ...entry,
    kind: view.kind,
    level: view.display(logger.level),
    effectiveLevel: view.display(effective),
    levelNo: logger.level,
    effectiveLevelNo: effective,
  };
  const transports = view.transports?.();
  if (transports)
    out.transports = transports.map((t) => ({
      ...t,
      level: levelText(t.logger, getLogger(t.logger).level, levelName),
    }));
  return out;
}

/** The configuration the process currently runs with, if it was applied through the config layer. */
function currentConfig(): { spec: ConfigSpec; source: string | null } | null {
  const applied = getCurrentConfig();
  return applied ? { spec: applied.spec, source: applied.source ?? null } : null;
}

/** Formatter objects of the current configuration, by object, to their config ids (for status). */
function formatterIds(): Map<object, string> {
  const ids = new Map<object, string>();
  const applied = getCurrentConfig();
  if (applied) for (const [id, formatter] of applied.formatters) ids.set(formatter, id);
  return ids;
}
