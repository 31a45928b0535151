/**
 * Loggers of other libraries (pino, winston) that follow the level of a logdial logger of the
 * same name: how `status`, replies and pushes show and treat them. The adapters (src/adapters/)
 * register one view per logdial logger name; a name without a view is an ordinary logdial logger.
 *
 * Invariant: the logdial logger stays the one place levels are kept; a view only translates them
 * into the library's words and describes what the library adds (winston's transports).
 */

/** What a library logger of one logdial name looks like to the control plane. */
export interface ForeignLoggerView {
  /** `pino`, `winston`, or `winston-transport` (a transport's own level, logger `app/console`). */
  readonly kind: 'pino' | 'winston' | 'winston-transport';
  /** A Python level number in the library's words (`debug`, `silent`, `NOTSET`). */
  display(level: number): string;
  /** winston: the logger's transports and the logdial names that hold their levels. */
  transports?(): ForeignTransport[];
  /** A transport without a level of its own follows its logger: the level it passes (Python number). */
  effectiveLevel?(): number;
}

/** One winston transport, for `status`. */
export interface ForeignTransport {
  /** The transport's name (`console`, `file`, `file-2`). */
  name: string;
  /** The logdial logger that holds its level: `<logger>/<transport>`. */
  logger: string;
}

const views = new Map<string, ForeignLoggerView>();

/** Registers the view of logger `name` (`''` is the root); the first registration stays. */
export function setForeignView(name: string, view: ForeignLoggerView): void {
  if (!views.has(name)) views.set(name, view);
}

/** The view of logger `name`, if a library logger follows it. */
export function foreignView(name: string): ForeignLoggerView | undefined {
  return views.size === 0 ? undefined : views.get(name);
}

/** A level of logger `name` as replies show it: the library's words for pino/winston loggers. */
export function levelText(name: string, level: number, python: (level: number) => string): string {
  const view = foreignView(name);
  return view ? view.display(level) : python(level);
}

/**
 * Why `name` cannot be set, or null: `<logger>/<transport>` names a transport only when the
 * winston logger has it (a typo must not create a logger that holds nothing).
 */
export function foreignNameProblem(name: string): string | null {
  const cut = name.lastIndexOf('/');
  if (cut < 0 || views.has(name)) return null;
  const owner = name.slice(0, cut);
  const view = views.get(owner === 'root' ? '' : owner);
  if (view?.transports === undefined) return null;
  const names = view.transports().map((t) => t.name);
  return `winston logger '${owner}' has no transport '${name.slice(cut + 1)}' (its transports: ${names.join(', ') || 'none'})`;
}
