/**
 * The interactive viewer: keys (several in one read each handled), prompts with history, `:`
 * commands, the status line and the help, quitting cleanly (terminal restored, level changes
 * reverted, programs stopped, exit code the program's).
 */
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { aggregate, type Aggregate, type Dimension } from './analytics.js';
import { compilePattern, LEVEL_RANKS, levelName, nextMinLevel, type Pattern } from './filters.js';
import { saveSession, type Session } from './sessions.js';
import { LineEditor, type PromptHistory } from './history.js';
import { shownIndexAtTime, shownLineTime } from './line-time.js';
import { keyName, splitKeys } from './keys.js';
import type { LineStore, StoredLine } from './line-store.js';
import { Screen } from './screen.js';
import type { LevelControl } from './tree-levels.js';
import type { SourceSet } from './viewer.js';
import { CommandSource, droppedText } from './sources.js';

const LEVEL_KEYS: Record<string, string> = { d: 'DEBUG', i: 'INFO', w: 'WARNING', e: 'ERROR', c: 'CRITICAL' };

/** The help screen, one section a line; `  |  ` separates items that may wrap. */
export const HELP_SECTIONS = [
  'Filters:  / include regex  |  \\ exclude regex  |  = field condition on JSON lines (level>=warn, logger=app.db)  |  esc clear all filters  |  C case-sensitive on/off  |  L minimum level (cycle)  |  s stdout/stderr/both',
  'Find:  f search regex  |  n next match  |  N previous match  |  h highlight regex',
  'Analytics:  a panel on/off (counts per level, logger, process; lines/s)  |  :agg FIELD count, sum, mean, mode of a numeric field',
  'Move:  Up/Down (k/j) line  |  PgUp/PgDn page  |  Home (g) oldest  |  End (G) newest, follow  |  Left/Right scroll sideways  |  W wrap on/off  |  p pause/resume',
  'Levels of the viewed program (temporary, reverted on quit):  d DEBUG  |  i INFO  |  w WARNING  |  e ERROR  |  c CRITICAL  |  r revert',
  'Commands (:):  :save NAME (session)  |  :history (prompt history; :history clear)  |  :set LOGGER=LEVEL...  |  :revert  |  :filter-in RE  |  :filter-out RE  |  :where FIELD OP VALUE  |  :level LEVEL  |  :highlight RE  |  :export FILE  |  :goto HH:MM[:SS]  |  :q',
  'Prompts: Up/Down history  |  enter apply  |  esc cancel        Ctrl-L redraw        ? closes this help        q quit',
];

/** What {@link InteractiveView} works with. */
export interface InteractiveParts {
  output: NodeJS.WriteStream;
  keys: NodeJS.ReadStream;
  store: LineStore;
  sources: SourceSet;
  levels: LevelControl | null;
  history: PromptHistory;
  /** What the view was opened with, for `:save`. */
  origin: Pick<Session, 'commands' | 'files' | 'format' | 'parser' | 'tap'>;
  highlight?: string;
}

export class InteractiveView {
  private readonly screen: Screen;
  private editor: LineEditor | null = null;
  private highlight: Pattern | null = null;
  private search: Pattern | null = null;
  private message = '';
  private showPanel = false;
  /** Shown instead of the help until the next key (`:history`). */
  private overlay: string[] | null = null;
  private agg: Aggregate | null = null;
  /** Recent (time, lines received) samples for the rate on the panel. */
  private readonly rateSamples: Array<[number, number]> = [];
  private quitting = false;
  private finish: (code: number) => void = () => {};
  private readonly onData = (data: Buffer | string) => {
    for (const key of splitKeys(data.toString())) this.key(keyName(key));
  };
  private readonly onSignal = (signal: NodeJS.Signals) => void this.quit(128 + constants.signals[signal]);

  constructor(private readonly parts: InteractiveParts) {
    if (parts.highlight) this.highlight = compilePattern(parts.highlight, parts.store.filters.caseSensitive);
    this.screen = new Screen(parts.output, {
      store: parts.store,
      marks: () => ({ highlight: this.highlight?.regex ?? null, search: this.search?.regex ?? null }),
      tag: (line) => this.tag(line),
      status: () => this.status(),
      prompt: () => (this.editor ? `${this.editor.label}${this.editor.text}▏` : null),
      help: () => this.overlay ?? HELP_SECTIONS,
      panel: () => (this.showPanel ? this.panel() : []),
    });
  }

  /** Takes the terminal; resolves with the exit code when the user quits (or a signal ends it). */
  run(): Promise<number> {
    const { keys } = this.parts;
    if (keys.isTTY) keys.setRawMode(true);
    keys.resume();
    keys.on('data', this.onData);
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, this.onSignal);
    this.screen.open();
    // The status line says how each program ended: redraw when one does, even if others go on
    // (its last lines may have been drawn before its exit was known).
    for (const command of this.parts.sources.commands) void command.done.then(() => this.screen.refresh(true));
    void this.parts.sources.done.then(() => this.screen.refresh(true));
    return new Promise((resolve) => (this.finish = resolve));
  }

  lineShown(): void {
    this.screen.refresh();
  }

  private tag(line: StoredLine): string {
    const { sources } = this.parts;
    const source = sources.sources[line.source];
    const name = sources.sources.length > 1 && source ? source.name.slice(0, 12) : '';
    const isCommand = source instanceof CommandSource;
    const stream = isCommand ? (line.stream === 'err' ? '\x1b[31merr\x1b[0m' : '\x1b[2mout\x1b[0m') : '';
    const tag = [name ? `\x1b[36m${name}\x1b[0m` : '', stream].filter(Boolean).join(':');
    return tag ? `${tag}\x1b[2m│\x1b[0m` : '';
  }

  private status(): string {
    const { store, sources } = this.parts;
    // The last answer first after the filters: on a narrow terminal the end of the line is cut.
    const parts = [store.filters.describe()];
    if (this.message) parts.push(this.message);
    parts.push(`${store.shownCount}/${store.size} lines`);
    if (store.dropped > 0) parts.push(`${store.dropped} oldest dropped (--max-memory)`);
    const tapDropped = sources.tapDropped();
    if (tapDropped > 0) parts.push(droppedText(tapDropped));
    if (this.highlight) parts.push(`highlight /${this.highlight.source}/`);
    if (this.search) parts.push(`find /${this.search.source}/`);
    const position = this.screen.position();
    if (position) parts.push(position);
    const exit = sources.exitText();
    if (exit) parts.push(exit);
    parts.push('? help  q quit');
    return ' ' + parts.join(' │ ');
  }

  /** The session `:save` writes: sources, filters, conditions, highlight, format. */
  private session(): Session {
    const { filters } = this.parts.store;
    const session: Session = {
      ...this.parts.origin,
      include: filters.includes.map((p) => p.source),
      exclude: filters.excludes.map((p) => p.source),
      where: filters.conditions.map((c) => c.source),
      caseSensitive: filters.caseSensitive,
    };
    if (filters.minLevel > 0) session.minLevel = levelName(filters.minLevel);
    if (this.highlight) session.highlight = this.highlight.source;
    return session;
  }

  /** The analytics panel: counts per level, logger and process; the rate; the last `:agg`. */
  private panel(): string[] {
    const { store } = this.parts;
    const now = Date.now();
    const sample: [number, number] = [now, store.received];
    this.rateSamples.push(sample);
    while (this.rateSamples.length > 2 && now - (this.rateSamples[0]?.[0] ?? now) > 1000) this.rateSamples.shift();
    const [t0, n0] = this.rateSamples[0] ?? sample; // never empty: `sample` was just pushed
    const rate = now > t0 ? Math.round(((store.received - n0) * 1000) / (now - t0)) : 0;
    const row = (label: string, dimension: Dimension) => {
      const top = store.counts.top(dimension, 8);
      return `${label.padEnd(9)}${top.length ? top.map(([k, n]) => `${k} ${n}`).join('  ') : '-'}`;
    };
    const perSecond = store.counts.rates.perSecond(now);
    const rates = perSecond.length ? perSecond.map(([k, n]) => `${k} ${round(n)}`).join('  ') : '-';
    const rows = [
      `${row('levels', 'level')}   │ ${rate} lines/s`,
      `${'per sec'.padEnd(9)}${rates}   (by level, mean of the last 5 s)`,
      row('loggers', 'logger'),
      row('process', 'process'),
    ];
    if (this.agg) {
      const a = this.agg;
      rows.push(
        `${a.field.padEnd(9)}count ${a.count}  sum ${round(a.sum)}  mean ${round(a.mean)}  mode ${a.mode ?? '-'}   (over the ${store.shownCount} lines shown; :agg FIELD)`,
      );
    }
    return rows;
  }

  private say(text: string): void {
    this.message = text;
    this.screen.refresh(true);
  }

  /** Shows a level-control answer when it comes. */
  private act(summary: Promise<string> | null): void {
    if (!summary) return this.say('level keys need -e COMMAND (the viewer starts it with a control endpoint)');
    this.say('…');
    summary.then(
      (text) => this.say(text),
      (error: unknown) => this.say(`failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private key(name: string): void {
    if (this.quitting) return;
    if (this.editor) return this.editKey(name);
    if (this.screen.showHelp) {
      this.screen.showHelp = false;
      this.overlay = null;
      return this.screen.refresh(true);
    }
    this.message = '';
    if (this.moveKey(name) || this.filterKey(name)) return;
    const level = LEVEL_KEYS[name];
    if (level) return this.act(this.parts.levels?.set({ '': level }) ?? null);
    if (name === 'r') return this.act(this.parts.levels?.revert() ?? null);
    if (name === 'q' || name === 'ctrl-c') return void this.quit(null);
    if (name === '?') this.screen.showHelp = true;
    if (name === ':') this.editor = new LineEditor('command', ':', this.parts.history);
    this.screen.refresh(true);
  }

  /** Navigation keys; true when handled. */
  private moveKey(name: string): boolean {
    const s = this.screen;
    const moves: Record<string, () => void> = {
      up: () => s.scroll(-1),
      k: () => s.scroll(-1),
      down: () => s.scroll(1),
      j: () => s.scroll(1),
      pageup: () => s.page(-1),
      pagedown: () => s.page(1),
      home: () => s.home(),
      g: () => s.home(),
      end: () => s.end(),
      G: () => s.end(),
      p: () => s.togglePause(),
      left: () => (s.skipColumns = Math.max(0, s.skipColumns - Math.floor(s.columns() / 2))),
      right: () => (s.skipColumns += Math.floor(s.columns() / 2)),
      W: () => (s.wrap = !s.wrap),
      a: () => (this.showPanel = !this.showPanel),
      'ctrl-l': () => {},
      n: () => this.findNext(1),
      N: () => this.findNext(-1),
    };
    const move = moves[name];
    if (!move) return false;
    move();
    s.refresh(true);
    return true;
  }

  /** Filter keys; true when handled. */
  private filterKey(name: string): boolean {
    const { store, history } = this.parts;
    const prompts: Record<string, [string, string]> = {
      '/': ['filter', 'include /'],
      '\\': ['filter', 'exclude \\'],
      '=': ['where', 'where '],
      f: ['search', 'find /'],
      h: ['highlight', 'highlight /'],
    };
    const prompt = prompts[name];
    if (prompt) this.editor = new LineEditor(prompt[0], prompt[1], history);
    else if (name === 'escape') {
      store.filters.clear();
      this.highlight = this.search = null;
      store.refilter();
    } else if (name === 'C') {
      store.filters.toggleCase();
      store.refilter();
    } else if (name === 'L') {
      store.filters.minLevel = nextMinLevel(store.filters.minLevel);
      store.refilter();
    } else if (name === 's') {
      store.filters.stream = store.filters.stream === 'both' ? 'out' : store.filters.stream === 'out' ? 'err' : 'both';
      store.refilter();
    } else return false;
    this.screen.refresh(true);
    return true;
  }

  private editKey(name: string): void {
    const editor = this.editor!;
    const outcome = editor.key(name);
    if (outcome === null) return this.screen.refresh(true);
    this.editor = null;
    if (outcome === 'submit' && editor.text) {
      this.parts.history.add(editor.kind, editor.text);
      try {
        this.submit(editor);
      } catch (error) {
        this.say(`\x1b[41;97m ${error instanceof Error ? error.message : String(error)} \x1b[0m`);
      }
    }
    this.screen.refresh(true);
  }

  private submit(editor: LineEditor): void {
    const { store } = this.parts;
    const text = editor.text;
    if (editor.kind === 'command') return this.command(text);
    if (editor.kind === 'where') {
      store.filters.where(text);
      return store.refilter();
    }
    if (editor.kind === 'filter') {
      store.filters.add(editor.label.startsWith('exclude') ? 'out' : 'in', text);
      store.refilter();
    } else if (editor.kind === 'highlight') this.highlight = compilePattern(text, store.filters.caseSensitive);
    else {
      this.search = compilePattern(text, store.filters.caseSensitive);
      this.findNext(-1, true);
    }
  }

  /** Moves to the next (1) or previous (-1) shown line matching the search; `fromEnd` starts at the newest. */
  private findNext(direction: 1 | -1, fromEnd = false): void {
    const { store } = this.parts;
    if (!this.search) return this.say('no search: press f first');
    const start = fromEnd ? store.shownCount : this.screen.topIndex();
    for (let i = start + direction; i >= 0 && i < store.shownCount; i += direction) {
      if (this.search.regex.test(store.shownAt(i)!.plain)) return this.screen.setTop(i);
    }
    this.say(`/${this.search.source}/ not found ${direction > 0 ? 'below' : 'above'}`);
  }

  /** Runs a `:` command; throws to show an error. */
  private command(text: string): void {
    const [name = '', ...args] = text.trim().split(/\s+/);
    const rest = text.trim().slice(name.length).trim();
    const { store } = this.parts;
    switch (name) {
      case 'q':
      case 'quit':
        return void this.quit(null);
      case 'set':
        return this.act(this.parts.levels?.set(parseLevels(args)) ?? null);
      case 'revert':
        return this.act(this.parts.levels?.revert() ?? null);
      case 'filter-in':
      case 'filter-out':
        store.filters.add(name === 'filter-in' ? 'in' : 'out', rest);
        return store.refilter();
      case 'where':
        store.filters.where(rest);
        return store.refilter();
      case 'save':
        return this.say(`session saved: ${saveSession(rest, this.session())}`);
      case 'agg':
        if (!rest)
          throw new Error('usage: :agg FIELD (a numeric field of JSON or --format lines, e.g. :agg responseTime)');
        this.agg = aggregate(rest, store.shown());
        this.showPanel = true;
        return;
      case 'level': {
        store.filters.minLevel = rest ? parseRank(rest) : 0;
        return store.refilter();
      }
      case 'highlight':
        this.highlight = rest ? compilePattern(rest, store.filters.caseSensitive) : null;
        return;
      case 'export':
        return this.say(`${exportShown(store, rest)} lines written to ${rest}`);
      case 'history':
        return this.showHistory(rest);
      case 'goto': {
        // A bare clock time is on the day of the line at the top (a file of yesterday's logs).
        const day = store.shownCount > 0 ? new Date(shownLineTime(store, this.screen.topIndex())) : new Date();
        return this.screen.setTop(shownIndexAtTime(store, parseClock(rest, day)));
      }
      default:
        throw new Error(`unknown command :${name} (press ? for the list)`);
    }
  }

  /** `:history` lists what was typed at each prompt (newest first, as Up recalls it); `:history clear` forgets it. */
  private showHistory(arg: string): void {
    const { history } = this.parts;
    if (arg === 'clear') {
      history.clear();
      return this.say('prompt history cleared');
    }
    if (arg) throw new Error('usage: :history, or :history clear');
    const lists = history.all();
    if (lists.length === 0) return this.say('no prompt history yet');
    this.overlay = [
      ...lists.map(([kind, list]) => `${kind}:  ${[...list].reverse().join('  |  ')}`),
      'Up in a prompt recalls these        :history clear forgets them        any key closes this',
    ];
    this.screen.showHelp = true;
  }

  /** Restores the terminal, reverts level changes, stops the programs; resolves the exit code. */
  async quit(code: number | null): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    const { keys, sources, levels } = this.parts;
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(signal, this.onSignal);
    this.screen.close();
    keys.off('data', this.onData);
    if (keys.isTTY) keys.setRawMode(false);
    keys.pause();
    if (keys !== process.stdin) keys.destroy();
    await Promise.race([levels?.close(), new Promise((r) => setTimeout(r, 3000).unref())]);
    sources.stop();
    await Promise.race([
      Promise.all(sources.commands.map((c) => c.done)),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    this.finish(sources.commands.length ? sources.exitCode() : (code ?? 0));
  }
}

/** `LOGGER=LEVEL` pairs of `:set` (a bare LEVEL is the root). */
export function parseLevels(args: string[]): Record<string, string> {
  if (args.length === 0) throw new Error('usage: :set LOGGER=LEVEL... (e.g. :set app.db=DEBUG)');
  const levels: Record<string, string> = {};
  for (const arg of args) {
    const at = arg.lastIndexOf('=');
    const logger = at < 0 ? '' : arg.slice(0, at);
    const level = (at < 0 ? arg : arg.slice(at + 1)).toUpperCase();
    if (!level) throw new Error(`${arg}: expected LOGGER=LEVEL`);
    parseRank(level);
    levels[logger === 'root' ? '' : logger] = level;
  }
  return levels;
}

/** A level name or number as a rank; throws on anything else. */
function parseRank(level: string): number {
  if (/^\d+$/.test(level)) return Number(level);
  const rank = level.toUpperCase() === 'NOTSET' ? 0 : LEVEL_RANKS[level.toUpperCase()];
  if (rank === undefined)
    throw new Error(`unknown level '${level}' (expected DEBUG, INFO, WARNING, ERROR, CRITICAL or a number)`);
  return rank;
}

/** `HH:MM[:SS]` on the day of `now` (or an ISO date-time) as ms since the epoch. */
export function parseClock(text: string, now = new Date()): number {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock)
    return new Date(
      now.getFullYear(),
      now.getMonth(),
      now.getDate(),
      Number(clock[1]),
      Number(clock[2]),
      Number(clock[3] ?? 0),
    ).getTime();
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new Error(`:goto ${text}: expected HH:MM, HH:MM:SS or an ISO date-time`);
  return at;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** Writes the shown lines (plain text) to a file; returns how many. */
function exportShown(store: LineStore, path: string): number {
  if (!path) throw new Error('usage: :export FILE');
  const lines: string[] = [];
  for (let i = 0; i < store.shownCount; i++) lines.push(store.shownAt(i)!.plain);
  writeFileSync(path, lines.length ? lines.join('\n') + '\n' : '');
  return lines.length;
}
