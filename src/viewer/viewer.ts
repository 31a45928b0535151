/**
 * `logdial view`: a live, filterable view of programs' output, files and standard input, that can
 * also turn the viewed programs' log levels up and down while they run.
 *
 * With a terminal for output and one for keys (standard input, or `/dev/tty` when standard input
 * is the data) it takes the screen; otherwise (a pipe, CI) it passes the filtered lines through
 * and exits with the program's exit code.
 */
import { closeSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { constants } from 'node:os';
import { ReadStream } from 'node:tty';
import { stripAnsi } from './ansi.js';
import { type Filterable, FilterSet, lineLevel, LEVEL_RANKS, type StreamName } from './filters.js';
import { type LineParser, lineParser } from './json-lines.js';
import { FormatParser } from './format-parser.js';
import { CustomParser } from './custom-parser.js';
import { BatchedWriter } from './pipe-writer.js';
import type { UnixTarget } from '../control/client.js';
import {
  CommandSource,
  FdSource,
  FileSource,
  type SplitOptions,
  droppedText,
  type Source,
  StreamSource,
  TapSource,
} from './sources.js';
import { candidateRegex } from './splitter.js';
import { byteFinder } from './byte-lines.js';
import type { LevelControl } from './tree-levels.js';
import type { SessionTap } from './sessions.js';

export type { LevelControl } from './tree-levels.js';

/** Default of `--max-memory`: what the retained history may take. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** Longest line kept whole; the rest is counted and marked. */
export const DEFAULT_MAX_LINE = 64 * 1024;

/** Options of {@link runViewer}. */
export interface ViewerOptions {
  /** Shell commands to run and view (`-e`, repeatable). */
  commands?: string[];
  /** Running processes to tap (`--app`): their records from `tap.logger` at `tap.level` on. */
  taps?: { targets: UnixTarget[]; logger: string; level: string };
  /** Files to view (followed like `tail -F` on a terminal, or with `follow`). */
  files?: string[];
  /** Lines to view besides the commands, taps and files (without any of them, default: standard input). */
  input?: NodeJS.ReadableStream;
  /** What `input` is called in tags and `--tags` (default `stdin`; a bus tap: `bus:APP`). */
  inputName?: string;
  /** Records lost before they reached `input` (a bus tap's drops for a slow reader), counted on the status line. */
  inputDropped?: () => number;
  /** Where the view goes (default: standard output). */
  output?: NodeJS.WriteStream;
  /** Key input (default: standard input when it is a terminal and not the data, else `/dev/tty`). */
  keys?: NodeJS.ReadStream | null;
  /** Full-screen with keys (default: when output and keys are terminals). */
  interactive?: boolean;
  /** Environment for the commands (the CLI adds LOGDIAL_LISTEN). */
  env?: NodeJS.ProcessEnv;
  /** Level control for the viewed programs (default: the processes the viewer started). */
  levels?: LevelControl | null;
  include?: string[];
  exclude?: string[];
  /** The `%`-style logging format lines were written with (`--format`, or from `--config`). */
  format?: string;
  /** A Logria-style parser file, or its name under the XDG config directory (`--parser`). */
  parser?: string;
  /** A highlight to start with (from a session). */
  highlight?: string;
  /** Field conditions on JSON lines (`level>=warn`, `logger=app.db`). */
  where?: string[];
  /** Minimum level shown (`WARNING`). */
  minLevel?: string;
  caseSensitive?: boolean;
  /** Most bytes of history kept (`--max-memory`). */
  maxBytes?: number;
  maxLine?: number;
  /** Run commands in a pseudo-terminal when possible (default true). */
  pty?: boolean;
  /** Follow files in pipe mode too. */
  follow?: boolean;
  /** Prefix lines with their source and stream in pipe mode. */
  tags?: boolean;
  /** Ttl of level changes, renewed while the viewer runs (default {@link LEVEL_TTL_MS}). */
  levelTtlMs?: number;
  /** What the taps were opened with (`--app`, `--logger`, `--bus`), for `:save`. */
  tapOrigin?: SessionTap;
  /** Prompt history file (`null`: none; default: the XDG state directory). */
  historyFile?: string | null;
}

/** A line arriving from a source, before it is stored or passed through. */
export type Arrival = (text: string, cut: number, stream: StreamName, source: number) => void;

/** Builds the filter set from options; throws (nothing started yet) on a bad pattern or level. */
export function filtersFrom(options: ViewerOptions): FilterSet {
  const filters = new FilterSet();
  if (options.caseSensitive) filters.toggleCase();
  for (const source of options.include ?? []) filters.add('in', source);
  for (const source of options.exclude ?? []) filters.add('out', source);
  for (const condition of options.where ?? []) filters.where(condition);
  if (options.minLevel) {
    const rank = LEVEL_RANKS[options.minLevel.toUpperCase()];
    if (rank === undefined)
      throw new Error(`unknown level '${options.minLevel}' (expected DEBUG, INFO, WARNING, ERROR or CRITICAL)`);
    filters.minLevel = rank;
  }
  return filters;
}

/** Throws, naming the file, when a file to view cannot be read (nothing is started then). */
export function checkFiles(files: string[]): void {
  for (const file of files) {
    try {
      closeSync(openSync(file, 'r'));
    } catch (error) {
      throw new ViewerInputError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
}

/** A source that cannot be used (exit code 1, unlike a usage error). */
export class ViewerInputError extends Error {
  override name = 'ViewerInputError';
}

/** How lines get fields: JSON lines, the logging format and the parser file when given (throws on a bad one). */
export function parserFrom(options: ViewerOptions): LineParser {
  return lineParser(
    options.format ? new FormatParser(options.format) : null,
    options.parser ? CustomParser.load(options.parser) : null,
  );
}

/** The running sources and how lines reach the viewer. */
export class SourceSet {
  readonly sources: Source[] = [];
  readonly commands: CommandSource[] = [];

  constructor(options: ViewerOptions, interactive: boolean, onLine: Arrival, search: Partial<SplitOptions> = {}) {
    const split = { maxLine: options.maxLine ?? DEFAULT_MAX_LINE, ...search };
    const add = (make: (index: number) => Source) => this.sources.push(make(this.sources.length));
    for (const command of options.commands ?? []) {
      add((i) => {
        const source = new CommandSource(
          command,
          command,
          { env: options.env ?? process.env, pty: options.pty ?? true, split },
          (t, c, s) => onLine(t, c, s, i),
        );
        this.commands.push(source);
        return source;
      });
    }
    for (const target of options.taps?.targets ?? []) {
      const tap = options.taps!;
      add((i) => new TapSource(String(target.manifest.pid), target, tap, (t, c, s) => onLine(t, c, s, i)));
    }
    for (const file of options.files ?? []) {
      add(
        (i) =>
          new FileSource(basename(file), file, { follow: interactive || Boolean(options.follow), split }, (t, c, s) =>
            onLine(t, c, s, i),
          ),
      );
    }
    const onStdin = (i: number) => (t: string, c: number, s: StreamName) => onLine(t, c, s, i);
    const input = options.input;
    if (input) add((i) => new StreamSource(options.inputName ?? 'stdin', input, split, onStdin(i)));
    // Standard input in large reads into one buffer (a pipe or a file), without making `process.stdin`.
    if (this.sources.length === 0) add((i) => new FdSource('stdin', 0, split, onStdin(i)));
    this.inputDropped = options.inputDropped ?? (() => 0);
  }

  private readonly inputDropped: () => number;

  /** Records the tapped processes dropped because the viewer read slower than they logged. */
  tapDropped(): number {
    let sum = this.inputDropped();
    for (const source of this.sources) if (source instanceof TapSource) sum += source.dropped;
    return sum;
  }

  get done(): Promise<void> {
    return Promise.all(this.sources.map((s) => s.done)).then(() => undefined);
  }

  /** The first command's exit code (0 without commands). */
  exitCode(): number {
    return this.commands[0]?.exitCode ?? 0;
  }

  /** How the programs ended, for the status line. */
  exitText(): string | null {
    const texts = this.commands.map((c) => c.exitText).filter((t): t is string => t !== null);
    return texts.length ? texts.join(', ') : null;
  }

  stop(): void {
    for (const source of this.sources) source.stop();
  }

  /** Pipe-mode prefix of a line: its source (when several) and stream (for commands). */
  prefix(stream: StreamName, source: number): string {
    const from = this.sources[source];
    const name = this.sources.length > 1 && from ? from.name : '';
    const streamTag = from instanceof CommandSource ? stream : '';
    const tag = [name, streamTag].filter(Boolean).join(':');
    return tag ? `[${tag}] ` : '';
  }
}

/** The terminal to read keys from, if any. */
function openKeys(options: ViewerOptions, readsStdin: boolean): NodeJS.ReadStream | null {
  if (options.keys !== undefined) return options.keys;
  if (!readsStdin && process.stdin.isTTY) return process.stdin;
  try {
    return new ReadStream(openSync('/dev/tty', 'r'));
  } catch {
    return null;
  }
}

/** Runs the viewer until the sources end (pipe mode) or the user quits; resolves to an exit code. */
export async function runViewer(options: ViewerOptions): Promise<number> {
  const output = options.output ?? process.stdout;
  const filters = filtersFrom(options);
  const parse = parserFrom(options);
  checkFiles(options.files ?? []);
  const readsStdin = !options.commands?.length && !options.files?.length && !options.taps && !options.input;
  const keys = output.isTTY && options.interactive !== false ? openKeys(options, readsStdin) : null;
  const interactive = options.interactive ?? Boolean(output.isTTY && keys?.isTTY);
  if (!interactive || !keys) return runPipe(options, filters, parse, output);
  return runInteractive(options, filters, parse, output, keys);
}

/** The full screen (its modules load only here: pipe mode starts without them). */
async function runInteractive(
  options: ViewerOptions,
  filters: FilterSet,
  parse: LineParser,
  output: NodeJS.WriteStream,
  keys: NodeJS.ReadStream,
): Promise<number> {
  const [{ historyBudget, LineStore }, { TreeLevels }, { historyPath, PromptHistory }, { InteractiveView }] =
    await Promise.all([
      import('./line-store.js'),
      import('./tree-levels.js'),
      import('./history.js'),
      import('./interactive.js'),
    ]);
  const store = new LineStore(historyBudget(options.maxBytes ?? DEFAULT_MAX_BYTES), filters, parse);
  let view: InstanceType<typeof InteractiveView> | null = null;
  const sources = new SourceSet(options, true, (text, cut, stream, source) => {
    const { shown } = store.push(text, cut, stream, source);
    if (shown) view?.lineShown();
  });
  const firstCommand = sources.commands[0];
  const levels =
    options.levels !== undefined
      ? options.levels
      : firstCommand
        ? new TreeLevels(() => (firstCommand.running ? firstCommand.child.pid : undefined), options.levelTtlMs)
        : null;
  const history = new PromptHistory(options.historyFile === undefined ? historyPath() : options.historyFile);
  const origin = {
    commands: options.commands ?? [],
    files: options.files ?? [],
    ...(options.format ? { format: options.format } : {}),
    ...(options.parser ? { parser: options.parser } : {}),
    ...(options.tapOrigin ? { tap: options.tapOrigin } : {}),
  };
  view = new InteractiveView({
    output,
    keys,
    store,
    sources,
    levels,
    history,
    origin,
    ...(options.highlight ? { highlight: options.highlight } : {}),
  });
  return view.run();
}

/** Pipe mode: filtered lines pass through; resolves when every source has ended. */
async function runPipe(
  options: ViewerOptions,
  filters: FilterSet,
  parse: LineParser,
  output: NodeJS.WriteStream,
): Promise<number> {
  const writer = new BatchedWriter(output);
  const needsLevel = filters.minLevel > 0;
  const line: Filterable = { plain: '', level: 0, stream: 'out', fields: null };
  const needsFields = filters.conditions.length > 0;
  const onlyIncludes = filters.excludes.length === 0 && filters.minLevel === 0 && !needsFields;
  const includes = filters.includes.map((p) => p.source);
  const finder = onlyIncludes ? byteFinder(includes, filters.caseSensitive) : null;
  const candidates = onlyIncludes && !finder ? candidateRegex(includes, filters.caseSensitive) : null;
  const sources = new SourceSet(
    options,
    false,
    (text, cut, stream, source) => {
      line.plain = text.includes('\x1b') ? stripAnsi(text) : text;
      line.fields = needsFields || needsLevel ? parse(line.plain) : null;
      line.level = needsLevel ? (line.fields?.rank ?? lineLevel(line.plain)) : 0;
      line.stream = stream;
      if (!filters.test(line)) return;
      const prefix = options.tags ? sources.prefix(stream, source) : '';
      writer.add(cut > 0 ? `${prefix}${text} … [${cut} more characters not kept]\n` : `${prefix}${text}\n`);
    },
    { finder, candidates },
  );
  const onSignal = (signal: NodeJS.Signals) => {
    sources.stop();
    if (sources.commands.length === 0) process.exit(128 + constants.signals[signal]);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  await sources.done;
  for (const signal of signals) process.off(signal, onSignal);
  await writer.end();
  const dropped = sources.tapDropped();
  if (dropped > 0) process.stderr.write(`logdial view: ${droppedText(dropped)}\n`);
  return sources.exitCode();
}
