import { type Command, InvalidArgumentError, Option } from 'commander';
import { localTargets } from '../../control/client.js';
import { redactUrl } from '../../control/redact.js';
import type { ViewerOptions } from '../../viewer/viewer.js';
import type { Session } from '../../viewer/sessions.js';
import { parseDuration } from '../duration.js';
import { asArgument } from '../targets.js';

/** `64M`, `1G`, `500k`, or bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`expected a size such as 64M, 1G or 500k, got '${text}'`);
  // Group 2 is not optional (it may be empty): a match has it.
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1024 * 1024) throw new InvalidArgumentError(`at least 1M, got '${text}'`);
  return bytes;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface ViewOpts {
  exec?: string[];
  filter?: string[];
  exclude?: string[];
  where?: string[];
  format?: string;
  parser?: string;
  config?: string;
  session?: string;
  level?: string;
  caseSensitive?: boolean;
  maxMemory?: number;
  pty: boolean;
  follow?: boolean;
  tags?: boolean;
  app?: string;
  logger: string;
  levelTtl?: number;
  bus?: string;
}

/** The running processes a view taps (`--app` without `-e`), and how to detach from them. */
interface Tapped {
  options: Pick<ViewerOptions, 'taps' | 'input' | 'inputName' | 'inputDropped'>;
  close(): Promise<void>;
}

/** Local processes of the app: one source per process, tagged with its pid. */
function localTaps(opts: ViewOpts): Tapped {
  const targets = localTargets({ app: opts.app! });
  if (targets.length === 0) throw new Error(`no process of app ${opts.app} is listening (run \`logdial ls\`)`);
  const taps = { targets, logger: opts.logger, level: (opts.level ?? 'DEBUG').toUpperCase() };
  return { options: { taps }, close: () => Promise.resolve() };
}

/**
 * The app's processes on the bus (`--bus`): their records as the lines of one stream, each
 * starting with `host:pid` as `logdial tail --bus` prints them; the taps go when the view ends, or
 * when it dies (its connection to Redis drops and the processes see nobody listening).
 */
async function busTaps(opts: ViewOpts): Promise<Tapped> {
  const [{ connectBus, tailViaBus }, { PassThrough }, { MAX_TAP_TTL_MS }] = await Promise.all([
    import('../bus-hook.js'),
    import('node:stream'),
    import('../../control/tap.js'),
  ]);
  const client = await connectBus(opts.bus!, process.env['LOGDIAL_SECRET']);
  const input = new PassThrough();
  try {
    const filter = { app: opts.app! };
    if ((await client.list(filter)).length === 0)
      throw new Error(`no process of app ${opts.app} on the bus at ${redactUrl(opts.bus!)}`);
    const cmd = { op: 'tail' as const, logger: opts.logger, level: (opts.level ?? 'DEBUG').toUpperCase() };
    const tail = await tailViaBus(
      client,
      { ...cmd, ttl: MAX_TAP_TTL_MS },
      filter,
      (frame, source) => {
        const text = `${source} ${new Date(frame.t).toISOString()} ${frame.level} ${frame.logger}: ${frame.msg}`;
        input.write(`${frame.exc ? `${text}\n${frame.exc}` : text}\n`);
      },
      3000,
    );
    for (const failure of tail.failures) input.write(`logdial view: cannot tail ${failure}\n`);
    void tail.session.ended.then(() => input.end());
    if (tail.started === 0) input.end();
    return {
      options: { input, inputName: `bus:${filter.app}`, inputDropped: () => tail.dropped() },
      close: async () => {
        await tail.session.close();
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** What `:save` keeps of a tap: a bus URL without its password (a session file is no place for it). */
function tapOrigin(app: string, logger: string, bus: string | undefined): Session['tap'] {
  if (!bus) return { app, logger };
  try {
    const url = new URL(bus);
    url.password = '';
    return { app, logger, bus: url.toString() };
  } catch {
    return { app, logger };
  }
}

/** Merges a saved session into the options (sources only when none are given); returns the files and the highlight. */
function applySession(session: Session, opts: ViewOpts, files: string[]): { files: string[]; highlight?: string } {
  if (!opts.exec?.length && files.length === 0 && !opts.app) {
    [opts.exec, files] = [session.commands, session.files];
    if (session.tap) {
      opts.app = session.tap.app;
      opts.logger = session.tap.logger;
      opts.bus ??= session.tap.bus;
    }
  }
  opts.filter = [...session.include, ...(opts.filter ?? [])];
  opts.exclude = [...session.exclude, ...(opts.exclude ?? [])];
  opts.where = [...session.where, ...(opts.where ?? [])];
  opts.caseSensitive ||= session.caseSensitive;
  opts.level ??= session.minLevel;
  opts.format ??= session.format;
  opts.parser ??= session.parser;
  return session.highlight ? { files, highlight: session.highlight } : { files };
}

/** Registers `logdial view`. */
export function register(program: Command): void {
  program
    .command('view')
    .description(
      "Live, filterable view of programs' output, files or standard input; on a terminal, keys turn the viewed program's log level up and down",
    )
    .argument('[files...]', 'files to view (followed like tail -F on a terminal)')
    .option(
      '-e, --exec <command>',
      'run this shell command and view its stdout and stderr (repeatable; it gets a control endpoint)',
      collect,
    )
    .option('-f, --filter <regex>', 'show only lines matching one of these regular expressions (repeatable)', collect)
    .option('-x, --exclude <regex>', 'hide lines matching any of these regular expressions (repeatable)', collect)
    .option(
      '-w, --where <condition>',
      'on JSON log lines (logdial, pino, bunyan, winston, ECS): show only those meeting FIELD OP VALUE, e.g. level>=warn, logger=app.db, res.statusCode>=500 (repeatable)',
      collect,
    )
    .option(
      '--format <format>',
      "the Python %-style format the lines were written with, e.g. '%(asctime)s - %(name)s - %(levelname)s - %(message)s': its fields become filterable (--where)",
    )
    .option(
      '--parser <file|name>',
      'a Logria-style regex or split parser (JSON: type, pattern, analytics), or NAME for ~/.config/logdial/parsers/NAME.json: its fields become filterable (--where) and aggregatable (:agg)',
    )
    .option(
      '--config <file>',
      "read that format from a logging config file (its first handler's formatter): .conf/.ini, .json, .yaml",
    )
    .option(
      '--session <name>',
      'reopen a session saved with :save NAME: its sources (unless given here), filters, conditions, highlight and format',
    )
    .option('--level <level>', 'show only lines of this level or above (DEBUG, INFO, WARNING, ERROR, CRITICAL)')
    .option('--case-sensitive', 'filters and search are case-sensitive (default: not)')
    .addOption(
      new Option('--max-memory <size>', 'history kept, oldest lines dropped beyond it (64M, 1G)')
        .default(undefined, '256M')
        .argParser(parseSize),
    )
    .option('--no-pty', 'run commands with plain pipes instead of a pseudo-terminal')
    .option('-F, --follow', 'without a terminal, keep following files (like tail -F) instead of ending at their end')
    .option('--tags', 'without a terminal, prefix each line with [source:stream]')
    .addOption(
      new Option(
        '--level-ttl <duration>',
        'how long a level change made by the keys outlives a viewer that died (renewed while it runs)',
      )
        .default(undefined, '30s')
        .argParser((v) => asArgument(() => parseDuration(v))),
    )
    .option(
      '--app <name>',
      "without -e: view the records of the running processes of this app (a tail tap, their own outputs unchanged); with -e: app name for the started program's control endpoint (default: its LOGDIAL_APP, or view-<pid>)",
    )
    .option('--logger <name>', 'with --app and no -e: the logger to tap (and those below it)', 'root')
    .option(
      '--bus <url>',
      "with --app and no -e: tap the app's processes on this Redis bus (redis://host:6379) instead of the local ones; signed with LOGDIAL_SECRET",
    )
    .addHelpText(
      'after',
      `
Sources: -e COMMAND (repeatable), FILE... (followed like tail -F), or standard input
(e.g. \`node app.js 2>&1 | logdial view\`; keys then come from the terminal). Several are merged,
each line tagged with its source (and out/err for commands).
On a terminal, ? shows every key. Main ones: / include filter, \\ exclude filter, = field
condition, esc clear, f find then n/N, h highlight, a analytics, d/i/w/e/c set the viewed
program's root level (temporary, reverted with r and on quit), p pause, arrows/PgUp/PgDn/
Home/End move, : commands (:set app.db=DEBUG, :save NAME, :export FILE, :goto 12:30,
:history), q quit.
Without a terminal the filtered lines pass through and the exit code is the program's.
Docs: docs/cli.md#view`,
    )
    .action(viewAction);
}

/** `logdial view`'s action: options to {@link runViewer}, errors to exit codes. */
async function viewAction(files: string[], opts: ViewOpts): Promise<void> {
  // Loaded here, so the other commands start without the viewer.
  const [{ DEFAULT_MAX_BYTES, runViewer, ViewerInputError }, { LEVEL_TTL_MS }, { formatFromConfig }, { loadSession }] =
    await Promise.all([
      import('../../viewer/viewer.js'),
      import('../../viewer/tree-levels.js'),
      import('../../viewer/format-config.js'),
      import('../../viewer/sessions.js'),
    ]);
  let highlight: string | undefined;
  if (opts.session) {
    try {
      ({ files, highlight } = applySession(loadSession(opts.session), opts, files));
    } catch (error) {
      process.stderr.write(`logdial view: ${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  const tapping = Boolean(opts.app && !opts.exec?.length);
  if (!opts.exec?.length && files.length === 0 && !tapping && process.stdin.isTTY) {
    process.stderr.write(
      'logdial view: nothing to view: give -e COMMAND, a FILE, or pipe into it (node app.js 2>&1 | logdial view)\n',
    );
    process.exitCode = 2;
    return;
  }
  if (opts.bus && !tapping) {
    process.stderr.write('logdial view: --bus taps the processes of --app, without -e\n');
    process.exitCode = 2;
    return;
  }
  let env: NodeJS.ProcessEnv | undefined;
  if (opts.exec?.length) {
    const app = opts.app ?? process.env['LOGDIAL_APP'] ?? `view-${process.pid}`;
    env = { ...process.env, LOGDIAL_LISTEN: '1', LOGDIAL_APP: app };
    if (process.stdout.isTTY && !process.env['NO_COLOR']) env['FORCE_COLOR'] ??= '1';
  }
  let code: number;
  let tapped: Tapped | undefined;
  try {
    try {
      if (tapping) tapped = opts.bus ? await busTaps(opts) : localTaps(opts);
    } catch (error) {
      throw new ViewerInputError(error instanceof Error ? error.message : String(error));
    }
    code = await runViewer({
      ...tapped?.options,
      commands: opts.exec ?? [],
      files,
      include: opts.filter ?? [],
      exclude: opts.exclude ?? [],
      where: opts.where ?? [],
      ...(highlight ? { highlight } : {}),
      ...(opts.format || opts.config ? { format: opts.format ?? formatFromConfig(opts.config!) } : {}),
      ...(opts.parser ? { parser: opts.parser } : {}),
      ...(opts.level ? { minLevel: opts.level } : {}),
      caseSensitive: Boolean(opts.caseSensitive),
      maxBytes: opts.maxMemory ?? DEFAULT_MAX_BYTES,
      pty: opts.pty,
      follow: Boolean(opts.follow),
      tags: Boolean(opts.tags),
      levelTtlMs: opts.levelTtl ?? LEVEL_TTL_MS,
      ...(tapping && opts.app ? { tapOrigin: tapOrigin(opts.app, opts.logger, opts.bus) } : {}),
      ...(env ? { env } : {}),
    });
  } catch (error) {
    process.stderr.write(`logdial view: ${error instanceof Error ? error.message : String(error)}\n`);
    code = error instanceof ViewerInputError ? 1 : 2;
  }
  await tapped?.close();
  // Standard input or the terminal may still hold the event loop open after an interactive quit.
  process.exit(code);
}
