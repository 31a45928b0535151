/**
 * What the page asks of processes — status, set (with a duration), revert, push — carried out by
 * the CLI's own functions (`sendEverywhere`, `parseLevelPairs`, the config bridge), and a journal of
 * every change made through the page (who, when, what, expiry, each process's answer).
 *
 * Bounds: the journal keeps the last {@link JOURNAL_LIMIT} entries; a pushed text is at most
 * {@link MAX_CONFIG_TEXT} characters (processes refuse more anyway).
 */
import { userInfo, hostname } from 'node:os';
import type { TargetResult } from '../control/client.js';
import type { ConfigFormat, ControlCommand } from '../control/protocol.js';
import { parseLevelPairs } from '../cli/commands/set.js';
import { formatOf } from '../cli/commands/push.js';
import { connectBus, sendViaBus, type BusFilter } from '../cli/bus-hook.js';
import { sendEverywhere, type TargetOptions } from '../cli/targets.js';

/** Changes kept for the audit view. */
export const JOURNAL_LIMIT = 500;
/** Longest config text the page may push. */
export const MAX_CONFIG_TEXT = 256 * 1024;

/** Which processes a change goes to: one process (`local:<pid>`, `bus:<host>:<pid>`) or every process of an app. */
export interface Scope {
  id?: string;
  app?: string;
}

/** One process's answer, as the page shows it. */
export interface AnswerRow {
  host: string;
  pid: number | null;
  app: string;
  processName: string;
  /** `ok`, `rejected`, `no-answer`, … */
  status: string;
  result: string;
  error: string | null;
  levels: Record<string, string>;
  expiresAt: string | null;
  requestedBy: string | null;
}

/** A change made through the page. */
export interface JournalEntry {
  at: string;
  who: string;
  what: string;
  scope: string;
  expiresAt: string | null;
  answers: AnswerRow[];
}

/** A config text's problem, at a line when one can be found. */
export interface ValidationError {
  message: string;
  location: string | null;
  line: number | null;
}

/** The page asked for something it may not: the message goes back with status 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** `local:<pid>` → pid; `bus:<host>:<pid>` → host and pid; undefined for no id; throws for a bad one. */
export function parseId(id: string | undefined): { pid: number; host?: string } | undefined {
  if (id === undefined) return undefined;
  const m = /^(?:local:(\d+)|bus:(.+):(\d+))$/.exec(id);
  if (!m) throw new BadRequest(`not a process id: ${id}`);
  return m[1] !== undefined ? { pid: Number(m[1]) } : { pid: Number(m[3]), host: m[2]! };
}

/** The row the page shows for a reply. */
export function answerRow(row: TargetResult): AnswerRow {
  const p = row.reply?.process;
  return {
    host: p?.host ?? row.endpoint.replace(/^bus:/, ''),
    pid: p?.pid ?? row.pid ?? null,
    app: p?.app ?? row.app ?? '',
    processName: p?.processName ?? row.processName ?? '',
    status: row.status,
    result: row.reply?.result ?? row.status,
    error: row.error ?? null,
    levels: row.reply?.levels ?? {},
    expiresAt: row.reply?.override?.expiresAt ?? null,
    requestedBy: row.reply?.override?.requestedBy ?? null,
  };
}

/**
 * The 1-based line of a JSON/YAML path (`handlers.console.class`) in `text`: each key is looked
 * for after the previous one; null when a key is not found as written.
 */
export function lineOfPath(text: string, path: string): number | null {
  const keys = path.split(/\.|\[\d+\]/).filter(Boolean);
  let from = 0;
  for (const key of keys) {
    const plain = key.replace(/^\[|\]$/g, '').replace(/^['"]|['"]$/g, '');
    const pattern = new RegExp(`["']?${plain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`, 'g');
    pattern.lastIndex = from;
    const found = pattern.exec(text);
    if (!found) return null;
    from = found.index;
  }
  return keys.length ? text.slice(0, from).split('\n').length : null;
}

/** Carries out the page's requests; holds the journal. */
export class Operator {
  private readonly journal: JournalEntry[] = [];
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  private readonly who: string;

  constructor(private readonly options: { bus?: string; secret?: string; timeoutMs: number }) {
    let user = 'unknown';
    try {
      user = userInfo().username;
    } catch {
      // no passwd entry (containers)
    }
    this.who = `${user}@${hostname()} (logdial ui pid ${process.pid})`;
  }

  /** Local targets of a scope (a bus id names none). */
  private local(scope: Scope): TargetOptions {
    const base: TargetOptions = { host: '127.0.0.1', timeout: this.options.timeoutMs };
    if (this.options.secret) base.secret = this.options.secret;
    if (scope.app) base.app = [scope.app];
    const id = parseId(scope.id);
    if (id) base.pid = [id.pid];
    else if (!scope.app) throw new BadRequest('a change names a process or an app');
    return base;
  }

  /** Sends through the bus: one process (its host and pid), or an app. */
  private async viaBus(cmd: ControlCommand, filter: BusFilter): Promise<TargetResult[]> {
    const client = await connectBus(this.options.bus!, this.options.secret);
    try {
      return await sendViaBus(client, cmd, filter, this.options.timeoutMs);
    } finally {
      await client.close();
    }
  }

  /** Sends to a scope: one local or bus process, or an app (locally, and on the bus when there is one). */
  private async send(cmd: ControlCommand, scope: Scope): Promise<TargetResult[]> {
    const id = parseId(scope.id);
    if (id?.host !== undefined) {
      if (!this.options.bus) throw new BadRequest('this server has no bus');
      return this.viaBus(cmd, { pid: [id.pid], host: [id.host] });
    }
    const local = sendEverywhere(cmd, this.local(scope));
    if (id || !this.options.bus || !scope.app) return local;
    const [here, remote] = await Promise.all([local, this.viaBus(cmd, { app: [scope.app] })]);
    return [...here, ...remote];
  }

  async status(scope: Scope): Promise<TargetResult | null> {
    const rows = await this.send({ op: 'status' }, scope);
    return rows[0] ?? null;
  }

  async set(scope: Scope, levels: Record<string, string>, ttlMs: number | undefined): Promise<JournalEntry> {
    let parsed: Record<string, string>;
    try {
      parsed = parseLevelPairs(Object.entries(levels).map(([name, level]) => `${name}=${level}`));
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    const cmd: ControlCommand = { op: 'set', levels: parsed, ...(ttlMs !== undefined ? { ttl: ttlMs } : {}) };
    const what = `set ${Object.entries(parsed)
      .map(([n, l]) => `${n}=${l}`)
      .join(' ')}`;
    return this.record(what, scope, ttlMs, await this.send(cmd, scope));
  }

  async revert(scope: Scope): Promise<JournalEntry> {
    return this.record('revert', scope, undefined, await this.send({ op: 'revert' }, scope));
  }

  /** Validates a config text as `logdial push` does before sending; null when it is valid. */
  async validate(text: string, name: string, format?: string): Promise<ValidationError | null> {
    if (text.length > MAX_CONFIG_TEXT) return { message: 'config text over 256 KiB', location: null, line: null };
    const [{ describeError }, { parseConfigText }] = await Promise.all([
      import('../control/reply-error.js'),
      import('../config/load.js'),
    ]);
    try {
      parseConfigText(text, this.formatOf(text, name, format), { file: name });
      return null;
    } catch (error) {
      const e = describeError(error);
      const line = /:(\d+)$/.exec(e.location ?? '')?.[1];
      const path = / at (.+)$/.exec(e.location ?? '')?.[1];
      return {
        message: e.message,
        location: e.location ?? null,
        line: line ? Number(line) : path ? lineOfPath(text, path) : null,
      };
    }
  }

  private formatOf(text: string, name: string, format?: string): ConfigFormat {
    try {
      return formatOf(name, text, format || undefined);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
  }

  /** Validates, then pushes; a broken text is never sent. */
  async push(
    scope: Scope,
    text: string,
    name: string,
    format: string | undefined,
    ttlMs: number | undefined,
  ): Promise<{ error: ValidationError } | { entry: JournalEntry }> {
    const error = await this.validate(text, name, format);
    if (error) return { error };
    const cmd: ControlCommand = {
      op: 'apply',
      config: text,
      format: this.formatOf(text, name, format),
      source: name,
      ...(ttlMs !== undefined ? { ttl: ttlMs } : {}),
    };
    return { entry: this.record(`push ${name}`, scope, ttlMs, await this.send(cmd, scope)) };
  }

  private record(what: string, scope: Scope, ttlMs: number | undefined, rows: TargetResult[]): JournalEntry {
    const entry: JournalEntry = {
      at: new Date().toISOString(),
      who: this.who,
      what,
      scope: scope.id ?? `app ${scope.app}`,
      expiresAt: ttlMs !== undefined ? new Date(Date.now() + ttlMs).toISOString() : null,
      answers: rows.map(answerRow),
    };
    this.journal.push(entry);
    if (this.journal.length > JOURNAL_LIMIT) this.journal.splice(0, this.journal.length - JOURNAL_LIMIT);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  entries(): JournalEntry[] {
    return [...this.journal];
  }

  onEntry(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
