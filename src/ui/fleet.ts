/**
 * The processes `logdial ui` lists: local ones (the runtime directory, as `logdial ls` finds them)
 * and, with a bus, every host on it. Polled with `ping` — every reply carries the process's identity
 * and its active override — and published as a snapshot only when something changed.
 *
 * Bounds: one poll at a time (a slow poll delays the next, never stacks), each poll bounded by the
 * send timeout; the snapshot holds what the last poll found, nothing older.
 */
import type { TargetResult } from '../control/client.js';
import type { OverrideInfo } from '../control/protocol.js';
import { connectBus, sendViaBus, type BusClient, type BusFilter } from '../cli/bus-hook.js';
import { sendEverywhere } from '../cli/targets.js';

/** One process as the page shows it. Every text in it came from the process: the page escapes it. */
export interface FleetEntry {
  /** `local:<pid>` or `bus:<host>:<pid>`: how the page names a target. */
  id: string;
  transport: 'unix' | 'bus';
  host: string;
  pid: number;
  app: string;
  processName: string;
  startedAt: string;
  override: Pick<OverrideInfo, 'description' | 'expiresAt' | 'requestedBy'> | null;
  /** `ok`, or why the process did not answer the last poll. */
  state: string;
}

/** What the server reads of a fleet. */
export interface FleetView {
  snapshot(): { version: number; entries: FleetEntry[] };
  onChange(listener: () => void): () => void;
}

/** Options of a {@link Fleet}. */
export interface FleetOptions {
  bus?: string;
  secret?: string;
  app?: string[];
  intervalMs?: number;
  timeoutMs?: number;
}

/** A reply row as a fleet entry; null for rows that name no process. */
export function entryOf(row: TargetResult): FleetEntry | null {
  const p = row.reply?.process;
  const pid = p?.pid ?? row.pid;
  if (pid === undefined) return null;
  const transport = row.kind === 'bus' ? 'bus' : 'unix';
  const host = p?.host ?? row.endpoint.replace(/^bus:/, '');
  const o = row.reply?.override;
  return {
    id: transport === 'bus' ? `bus:${host}:${pid}` : `local:${pid}`,
    transport,
    host,
    pid,
    app: p?.app ?? row.app ?? '',
    processName: p?.processName ?? row.processName ?? '',
    startedAt: p?.startedAt ?? '',
    override: o ? { description: o.description, expiresAt: o.expiresAt, requestedBy: o.requestedBy } : null,
    state: row.status === 'ok' ? 'ok' : (row.error ?? row.status),
  };
}

/** Sorted by app, host, pid: the order the page groups them in. */
export function sortEntries(entries: FleetEntry[]): FleetEntry[] {
  return entries.sort((a, b) =>
    a.app !== b.app ? (a.app < b.app ? -1 : 1) : a.host !== b.host ? (a.host < b.host ? -1 : 1) : a.pid - b.pid,
  );
}

/** Polls the processes and keeps the latest snapshot. */
export class Fleet implements FleetView {
  private entries: FleetEntry[] = [];
  private text = '[]';
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private bus: BusClient | null = null;
  private stopped = false;

  constructor(private readonly options: FleetOptions) {}

  /** Connects to the bus (when given) and polls once before resolving. */
  async start(): Promise<void> {
    if (this.options.bus) this.bus = await connectBus(this.options.bus, this.options.secret);
    await this.poll();
  }

  /** The bus connection (null without `--bus`), for the live tail. */
  get busClient(): BusClient | null {
    return this.bus;
  }

  snapshot(): { version: number; entries: FleetEntry[] } {
    return { version: this.version, entries: this.entries };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Polls now (and every interval after). */
  async poll(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const timeout = this.options.timeoutMs ?? 2000;
    const app = this.options.app?.length ? { app: this.options.app } : {};
    const filter: BusFilter = app;
    const [local, remote] = await Promise.all([
      sendEverywhere({ op: 'ping' }, { host: '127.0.0.1', timeout, ...app }).catch(() => []),
      this.bus ? sendViaBus(this.bus, { op: 'ping' }, filter, timeout).catch(() => []) : Promise.resolve([]),
    ]);
    if (this.stopped) return;
    this.publish(
      sortEntries([...local, ...remote].map(entryOf).filter((entry): entry is FleetEntry => entry !== null)),
    );
    this.timer = setTimeout(() => void this.poll(), this.options.intervalMs ?? 1500);
    this.timer.unref();
  }

  private publish(entries: FleetEntry[]): void {
    const text = JSON.stringify(entries);
    if (text === this.text) return;
    this.text = text;
    this.entries = entries;
    this.version++;
    for (const listener of this.listeners) listener();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.bus?.close();
  }
}
