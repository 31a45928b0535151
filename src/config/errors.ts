/**
 * The one error type configuration code throws: it always says where (file and line for INI,
 * file and path for JSON/YAML/objects) and, when known, what was expected and which Python
 * exception CPython raises for the same input (so parity tests can compare).
 */

/** Where something in a configuration came from. */
export interface ConfigLocation {
  /** The file (or a label such as `<string>`), when known. */
  file?: string | undefined;
  /** 1-based line (INI always; JSON/YAML when it could be located). */
  line?: number | undefined;
  /** Dotted path inside a JSON/YAML/object config, e.g. `handlers.console.class`. */
  path?: string | undefined;
}

/** Details for a {@link ConfigError}. */
export interface ConfigErrorDetails extends ConfigLocation {
  /** What a valid value looks like. */
  expected?: string | undefined;
  /** The exception CPython raises here, e.g. `KeyError` (`RuntimeError` for wrapped parse errors). */
  pythonType?: string | undefined;
  /** Underlying error. */
  cause?: unknown;
}

/**
 * A configuration that cannot be applied. `message` starts with the location:
 * `info.conf:12: …` (INI) or `cfg.json at handlers.console.class: …` (JSON/YAML).
 * Throwing one from parsing or applying guarantees nothing was changed.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly path: string | undefined;
  readonly expected: string | undefined;
  readonly pythonType: string | undefined;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, details: ConfigErrorDetails = {}) {
    super(formatMessage(detail, details), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.detail = detail;
    this.file = details.file;
    this.line = details.line;
    this.path = details.path;
    this.expected = details.expected;
    this.pythonType = details.pythonType;
  }

  /** The location part of the message (`info.conf:12`, `cfg.json at a.b`, …). */
  get location(): string {
    return locationText(this);
  }

  /** A plain object for `--json` output and control-plane replies. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      detail: this.detail,
      file: this.file,
      line: this.line,
      path: this.path,
      expected: this.expected,
      pythonType: this.pythonType,
    };
  }
}

/** `file:line` or `file at path`, as messages show a location. */
export function locationText(loc: ConfigLocation): string {
  let where = loc.file ?? '';
  if (loc.line !== undefined) where += `${where ? ':' : 'line '}${loc.line}`;
  if (loc.path !== undefined && loc.path !== '') where += `${where ? ' at ' : 'at '}${loc.path}`;
  return where;
}

function formatMessage(detail: string, details: ConfigErrorDetails): string {
  const where = locationText(details);
  let text = where ? `${where}: ${detail}` : detail;
  if (details.expected) text += ` (expected ${details.expected})`;
  return text;
}

/** Joins path segments the way error messages show them: `handlers.console.class`, `args[0]`. */
export function joinPath(base: string | undefined, key: string | number): string {
  if (typeof key === 'number') return `${base ?? ''}[${key}]`;
  // Keys that would read ambiguously after a dot (logger names like `app.db`) go in brackets.
  if (!/^[A-Za-z_()][\w-]*\)?$/.test(key)) return `${base ?? ''}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}
