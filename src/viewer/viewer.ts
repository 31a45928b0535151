/**
 * `logdial view`: a live, filterable view of a program's output that can also turn the program's
 * log level up and down while it runs (through the same control plane as `logdial set`).
 *
 * On a terminal it takes the screen (alternate buffer) and reads keys; without one (a pipe, CI) it
 * passes the filtered lines through and exits with the program's exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { LineStore, type StoredLine } from './line-store.js';
import { forScreen, truncateVisible } from './ansi.js';

/** Turns the viewed program's levels up and down; answers with a short summary for the status line. */
export interface LevelControl {
  set(level: string): Promise<string>;
  revert(): Promise<string>;
}

/** Options of {@link runViewer}. */
export interface ViewerOptions {
  /** Shell command to run and view (`-e`); without it, `input` is viewed. */
  command?: string;
  /** Lines to view when there is no command (default: standard input). */
  input?: NodeJS.ReadableStream;
  /** Initial filter (a regular expression, case-insensitive). */
  filter?: string;
  /** Where the view goes (default: standard output). */
  output?: NodeJS.WriteStream;
  /** Key input for the interactive view (default: standard input). */
  keys?: NodeJS.ReadStream;
  /** Full-screen with keys (default: when output and keys are terminals). */
  interactive?: boolean;
  /** Environment for the command (the CLI adds LOGDIAL_LISTEN and LOGDIAL_APP). */
  env?: NodeJS.ProcessEnv;
  /** Level control for the viewed processes; absent when they cannot be reached. */
  levels?: LevelControl;
  /** Most lines kept in memory. */
  capacity?: number;
}

const LEVEL_KEYS: Record<string, string> = { d: 'DEBUG', i: 'INFO', w: 'WARNING', e: 'ERROR', c: 'CRITICAL' };
const HELP = '/ filter  esc clear  d/i/w/e/c level  r revert  p pause  PgUp/PgDn scroll  q quit';

/** Signals the child's whole process group (the shell and what it started). */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Splits a byte stream into lines, calling `onLine` for each complete one (and the rest at the end). */
function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let newline = partial.indexOf('\n');
      while (newline >= 0) {
        onLine(partial.slice(0, newline).replace(/\r$/, ''));
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
      }
    });
    const finish = () => {
      if (partial) onLine(partial);
      partial = '';
      resolve();
    };
    stream.on('end', finish);
    stream.on('error', finish);
  });
}

/** Runs the viewer until the program ends (pipe mode) or the user quits; resolves to an exit code. */
export async function runViewer(options: ViewerOptions): Promise<number> {
  const output = options.output ?? process.stdout;
  const keys = options.keys ?? process.stdin;
  const interactive = options.interactive ?? Boolean(output.isTTY && keys.isTTY);
  const store = new LineStore(options.capacity);
  if (options.filter) store.setFilter(options.filter);

  let child: ChildProcess | undefined;
  let childExit: string | null = null;
  let exitCode = 0;
  const sources: Promise<void>[] = [];
  const onLine = (raw: string) => {
    const line = store.push(raw);
    if (interactive) view.lineAdded(line);
    else if (store.matches(line)) output.write(raw + '\n');
  };

  if (options.command) {
    // Its own process group, so stopping it stops whatever the shell started too.
    child = spawn('/bin/sh', ['-c', options.command], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, detached: true });
    sources.push(eachLine(child.stdout!, onLine), eachLine(child.stderr!, onLine));
    const forward = (signal: NodeJS.Signals) => stopGroup(child!, signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
    child.on('close', () => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, forward);
    });
  } else {
    sources.push(eachLine(options.input ?? process.stdin, onLine));
  }
  const childDone = child
    ? new Promise<void>((resolve) => {
        child!.on('close', (code, signal) => {
          exitCode = code ?? (signal ? 128 + 1 : 1);
          childExit = signal ? `ended by ${signal}` : `exited with code ${code}`;
          view.refresh();
          resolve();
        });
        child!.on('error', (error) => {
          childExit = `could not start: ${error.message}`;
          exitCode = 127;
          resolve();
        });
      })
    : Promise.all(sources).then(() => {
        childExit = 'input ended';
      });

  const view = interactive ? new Screen(output, store, () => childExit) : { lineAdded() {}, refresh() {}, close() {} };
  if (!interactive) {
    await Promise.all([childDone, ...sources]);
    return exitCode;
  }

  const screen = view as Screen;
  return new Promise<number>((resolve) => {
    let typing: string | null = null;
    const quit = () => {
      keys.off('data', onKey);
      if (keys.isTTY) (keys as NodeJS.ReadStream).setRawMode(false);
      keys.pause();
      if (keys === process.stdin) process.stdin.unref();
      screen.close();
      if (child && child.exitCode === null && child.signalCode === null) {
        child.once('close', () => resolve(exitCode));
        stopGroup(child, 'SIGTERM');
        // A program that ignores SIGTERM is not allowed to keep the viewer open.
        setTimeout(() => stopGroup(child!, 'SIGKILL'), 3000).unref();
      } else resolve(exitCode);
    };
    const act = (summary: Promise<string>) => {
      screen.setMessage('…');
      summary.then(
        (text) => screen.setMessage(text),
        (error: unknown) => screen.setMessage(`failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    };
    const onKey = (data: Buffer | string) => {
      const key = data.toString();
      if (typing !== null) {
        if (key === '\r' || key === '\n') {
          store.setFilter(typing);
          typing = null;
          screen.setPrompt(null);
        } else if (key === '\x1b') {
          typing = null;
          screen.setPrompt(null);
        } else if (key === '\x7f' || key === '\b') {
          typing = typing.slice(0, -1);
          screen.setPrompt(typing);
        } else if (key >= ' ' && !key.startsWith('\x1b')) {
          typing += key;
          screen.setPrompt(typing);
        }
        return;
      }
      if (key === 'q' || key === '\x03') return quit();
      if (key === '/') {
        typing = '';
        return screen.setPrompt('');
      }
      if (key === '\x1b') {
        store.setFilter('');
        return screen.refresh();
      }
      if (key === 'p') return screen.togglePause();
      if (key === '\x1b[5~') return screen.scroll(+1);
      if (key === '\x1b[6~') return screen.scroll(-1);
      if (key === '\x1b[F' || key === '\x1b[4~' || key === 'G') return screen.follow();
      const level = LEVEL_KEYS[key];
      if (level) {
        if (!options.levels) return screen.setMessage('level control needs -e COMMAND (the viewer starts it with a control endpoint)');
        return act(options.levels.set(level));
      }
      if (key === 'r') {
        if (!options.levels) return screen.setMessage('level control needs -e COMMAND');
        return act(options.levels.revert());
      }
    };
    if (keys.isTTY) (keys as NodeJS.ReadStream).setRawMode(true);
    keys.resume();
    keys.on('data', onKey);
    screen.open();
  });
}

/** The full-screen view: lines above, a status line at the bottom; redrawn at most every 50 ms. */
class Screen {
  private paused = false;
  private scrollBack = 0;
  private prompt: string | null = null;
  private message = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly onResize = () => this.refresh();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly store: LineStore,
    private readonly exitState: () => string | null,
  ) {}

  open(): void {
    this.out.write('\x1b[?1049h\x1b[?25l');
    this.out.on('resize', this.onResize);
    this.draw();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.out.off('resize', this.onResize);
    this.out.write('\x1b[?25h\x1b[?1049l');
  }

  lineAdded(line: StoredLine): void {
    if (this.paused || !this.store.matches(line)) return;
    if (this.scrollBack > 0) this.scrollBack++;
    this.refresh();
  }

  setPrompt(text: string | null): void {
    this.prompt = text;
    this.refresh();
  }

  setMessage(text: string): void {
    this.message = text;
    this.refresh();
  }

  togglePause(): void {
    this.paused = !this.paused;
    this.refresh();
  }

  scroll(pages: number): void {
    const page = Math.max(1, this.rows() - 2);
    this.scrollBack = Math.max(0, Math.min(this.store.countMatching() - page, this.scrollBack + pages * page));
    this.refresh();
  }

  follow(): void {
    this.scrollBack = 0;
    this.refresh();
  }

  /** Schedules a redraw; bursts of lines cost one redraw. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, 50);
  }

  private rows(): number {
    return this.out.rows || 24;
  }

  private draw(): void {
    const rows = this.rows();
    const cols = this.out.columns || 80;
    const body = rows - 1;
    const lines = this.store.tail(body, this.scrollBack);
    let frame = '\x1b[H';
    for (let i = 0; i < body; i++) {
      const line = lines[i];
      frame += (line ? truncateVisible(forScreen(line.raw), cols) : '') + '\x1b[0m\x1b[K\r\n';
    }
    frame += '\x1b[7m' + truncateVisible(this.statusText(), cols).padEnd(cols) + '\x1b[0m';
    this.out.write(frame);
  }

  private statusText(): string {
    if (this.prompt !== null) return `filter: ${this.prompt}▏ (enter to apply, esc to cancel)`;
    const parts = [
      this.store.filterText ? `filter /${this.store.filterText}/` : 'no filter',
      `${this.store.countMatching()}/${this.store.received} lines`,
    ];
    if (this.paused) parts.push('PAUSED');
    if (this.scrollBack > 0) parts.push(`scrolled back ${this.scrollBack}`);
    const exit = this.exitState();
    if (exit) parts.push(exit);
    if (this.message) parts.push(this.message);
    parts.push(HELP);
    return ' ' + parts.join(' | ');
  }
}
