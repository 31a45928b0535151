/**
 * What INI (fileConfig) and dict (dictConfig) parsing share: one {@link SpecBuilder} per parse,
 * which the sections fill in turn — located errors, level checks, reference checks (an id must
 * name a formatter, filter or handler defined before) and class binding (a name resolved to a
 * registry entry, its arguments bound), then the finished {@link ConfigSpec}.
 *
 * The wording of a message is the caller's (INI speaks of `[handler_x]`, dict of
 * `handlers.x.class`); the checks, and what is expected, are here once.
 */
import { checkLevel } from '../core/levels.js';
import { ConfigError, type ConfigLocation } from './errors.js';
import type { TriggerSettings } from './triggers-spec.js';
import type { RedactSpec } from './redact-config.js';
import { type ClassEntry, ClassError, type UserClass, bindArguments, isClassEntry, resolveClass } from './registry.js';
import type {
  ClassCall,
  ConfigSpec,
  FilterSpec,
  FormatterSpec,
  HandlerLevelSpec,
  HandlerSpec,
  LoggerSpec,
} from './spec.js';

/** The kinds of object a configuration defines by id and refers to by id. */
export type DefinedKind = 'formatter' | 'filter' | 'handler';

/** A message and, optionally, a better location and expectation for a {@link ClassError}. */
export interface ClassProblem {
  message: string;
  /** CPython's exception here (default: the registry's). */
  pythonType?: string | undefined;
  loc?: ConfigLocation | undefined;
  expected?: string | undefined;
}

/** What {@link SpecBuilder.bindClass} needs: the class as written, its arguments and how to word errors. */
export interface ClassRequest {
  /** A dotted name, a registry entry, or a constructor an object config holds. */
  name: unknown;
  /** The entry, when already resolved. */
  entry?: ClassEntry | undefined;
  /** The name as shown (defaults to the string form of `name`). */
  shownName?: string | undefined;
  mode: 'eval' | 'import';
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Where the class was written (resolution errors). */
  classLoc: ConfigLocation;
  /** Where the arguments were written (binding and later build errors). */
  argLoc: ConfigLocation;
  /** Wording of a resolution error. */
  unresolved: (error: ClassError) => ClassProblem;
  /** Wording of a binding error. */
  unbound: (error: ClassError) => ClassProblem;
}

/** Collects one configuration's parts, section by section, and checks them as they come. */
export class SpecBuilder {
  readonly formatters: FormatterSpec[] = [];
  readonly filters: FilterSpec[] = [];
  readonly handlers: HandlerSpec[] = [];
  readonly handlerLevels: HandlerLevelSpec[] = [];
  readonly loggers: LoggerSpec[] = [];
  root: LoggerSpec | undefined;
  redact: RedactSpec | undefined;
  triggers: TriggerSettings | undefined;
  /** What sections outside the built-in ones read (`triggers`), by section name. */
  readonly sections: Record<string, unknown> = {};
  readonly #defined: Record<DefinedKind, Set<string>> = {
    formatter: new Set(),
    filter: new Set(),
    handler: new Set(),
  };

  constructor(readonly file: string | undefined) {}

  /** Throws a located {@link ConfigError}. */
  fail(loc: ConfigLocation, message: string, pythonType = 'ValueError', expected?: string, cause?: unknown): never {
    throw new ConfigError(message, { ...loc, pythonType, expected, cause });
  }

  /** Makes `id` a valid reference to a `kind` (before or as it is read: a handler may target a later one). */
  define(kind: DefinedKind, id: string): void {
    this.#defined[kind].add(id);
  }

  /** The ids of `kind` defined so far. */
  defined(kind: DefinedKind): ReadonlySet<string> {
    return this.#defined[kind];
  }

  /**
   * Checks that every id of `ids` names a defined `kind`; the first that does not fails at
   * `at(index)` with `message(id)` (the one reference check of every section). `except` is
   * left out of the ids the error lists.
   */
  requireIds(
    kind: DefinedKind,
    ids: readonly string[],
    at: (index: number) => ConfigLocation,
    message: (id: string) => string,
    pythonType = 'ValueError',
    except?: string,
  ): void {
    const known = this.#defined[kind];
    ids.forEach((id, i) => {
      if (!known.has(id)) this.fail(at(i), message(id), pythonType, this.expectedIds(kind, except));
    });
  }

  /** `one of: a, b` (the defined ids of `kind`, but `except`), for a reference that names none. */
  expectedIds(kind: DefinedKind, except?: string): string {
    const names = [...this.#defined[kind]].filter((k) => k !== except);
    return `one of: ${names.join(', ') || `(no ${kind}s defined)`}`;
  }

  /** A level name or number as a level number; `message(reason)` words the error. */
  level(value: unknown, loc: ConfigLocation, message: (reason: string) => string, expected: string): number {
    try {
      return checkLevel(value);
    } catch (e) {
      return this.fail(loc, message((e as Error).message), 'ValueError', expected);
    }
  }

  /** The registry entry for a class as written (a name, an entry, or a constructor in an object config). */
  entryOf(request: Pick<ClassRequest, 'name' | 'mode' | 'classLoc' | 'unresolved'>): ClassEntry {
    const { name } = request;
    // A constructor exists only where a caller put one into an object config (JSON, YAML and INI
    // have none, and cfg:// reads own keys only); a registry entry only from ext:// or the
    // registry. A mapping shaped like an entry is data, never a class.
    if (typeof name === 'function') return callableEntry(name as UserClass);
    if (isClassEntry(name)) return name;
    try {
      if (typeof name !== 'string')
        throw new ClassError(`class must be a dotted name, not ${shownType(name)}`, 'ValueError', CLASS_NAME);
      return resolveClass(name, request.mode);
    } catch (e) {
      if (!(e instanceof ClassError)) throw e;
      const problem = request.unresolved(e);
      const type = problem.pythonType ?? e.pythonType;
      return this.fail(problem.loc ?? request.classLoc, problem.message, type, problem.expected, e);
    }
  }

  /** Resolves and binds a class call; errors worded by the request, located where it says. */
  bindClass(request: ClassRequest): ClassCall {
    const entry = request.entry ?? this.entryOf(request);
    const name = request.shownName ?? String(request.name);
    try {
      return { name, entry, bound: bindArguments(entry, request.args, request.kwargs), loc: request.argLoc };
    } catch (e) {
      if (!(e instanceof ClassError)) throw e;
      const problem = request.unbound(e);
      const type = problem.pythonType ?? e.pythonType;
      return this.fail(problem.loc ?? request.argLoc, problem.message, type, problem.expected, e);
    }
  }

  /** Fails unless the call constructs a `kind` (or a class of any kind). */
  requireKind(
    call: ClassCall,
    kind: 'formatter' | 'handler',
    loc: ConfigLocation,
    message: string,
    pythonType: string,
    expected: string,
  ): void {
    if (call.entry.kind !== kind && call.entry.kind !== 'any') this.fail(loc, message, pythonType, expected);
  }

  /** Builds a known formatter class once, so a bad format fails here, located, not at apply. */
  checkFormat(call: ClassCall, loc: ConfigLocation, message: (reason: string) => string): void {
    if (!call.entry.params) return;
    try {
      call.entry.create(call.bound);
    } catch (e) {
      this.fail(loc, message((e as Error).message), 'ValueError', 'a valid format for the style', e);
    }
  }

  /** The finished spec. */
  spec(
    fields: Pick<ConfigSpec, 'kind' | 'format' | 'incremental' | 'disableExistingLoggers' | 'rootFirst'>,
  ): ConfigSpec {
    const spec: ConfigSpec = {
      ...fields,
      file: this.file,
      formatters: this.formatters,
      filters: this.filters,
      handlers: this.handlers,
      handlerLevels: this.handlerLevels,
      loggers: this.loggers,
      root: this.root,
      redact: this.redact,
      triggers: this.triggers,
    };
    if (Object.keys(this.sections).length > 0) spec.sections = this.sections;
    return spec;
  }
}

const CLASS_NAME = 'a class name such as logging.StreamHandler';

function shownType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${JSON.stringify(value)})`;
}

/** A registry entry for a constructor passed directly in an object config (`class: MyHandler`). */
function callableEntry(ctor: UserClass): ClassEntry {
  const proto = ctor.prototype as Record<string, unknown> | undefined;
  const kind =
    proto && (typeof proto['emit'] === 'function' || typeof proto['handle'] === 'function')
      ? 'handler'
      : proto && typeof proto['format'] === 'function'
        ? 'formatter'
        : 'any';
  return {
    pyName: ctor.name || '<constructor>',
    kind,
    create: (b) => (Object.keys(b.kwargs).length > 0 ? new ctor(...b.args, b.kwargs) : new ctor(...b.args)),
  };
}
