/**
 * An INI reader that behaves like Python's `configparser.ConfigParser` as `logging.config.fileConfig`
 * uses it (strict, `=`/`:` delimiters, full-line `#`/`;` comments only, continuation lines, option
 * names lower-cased, section names case-sensitive, a DEFAULT section, BasicInterpolation).
 *
 * Unlike configparser, every value remembers the line it started on so that every later error can
 * point at it. No npm package reproduces configparser's quirks (first delimiter wins, no inline
 * comments, duplicate detection after lower-casing), which fileConfig users depend on.
 */
import { ConfigError } from './errors.js';

/** One option: raw text (continuation lines joined with `\n`) and where it was written. */
export interface IniValue {
  readonly raw: string;
  readonly line: number;
  /** The option name as written (before lower-casing). */
  readonly key: string;
}

/** A section: options by lower-cased name, in file order. */
export interface IniSection {
  readonly name: string;
  /** Line of the `[name]` header (0 for DEFAULT from `defaults`). */
  readonly line: number;
  readonly options: Map<string, IniValue>;
}

/** Options for {@link parseIni}. */
export interface IniParseOptions {
  /** File name used in error messages. */
  file?: string | undefined;
  /** Python's `ConfigParser(defaults)`: values visible in every section. */
  defaults?: Record<string, string | number | boolean> | undefined;
}

const MAX_INTERPOLATION_DEPTH = 10;
const MAX_INTERPOLATED_CHARS = 1_000_000;
const SECTION_RE = /^\[(.+)\]/;

/** A parsed INI file with configparser's lookup and interpolation rules. */
export class IniFile {
  readonly file: string | undefined;
  /** The DEFAULT section (plus `defaults`). */
  readonly defaults: IniSection;
  /** Sections other than DEFAULT, in file order. */
  readonly sections: Map<string, IniSection>;
  /** Characters substituted so far by the interpolation in progress. */
  private expanded = 0;

  constructor(file: string | undefined, defaults: IniSection, sections: Map<string, IniSection>) {
    this.file = file;
    this.defaults = defaults;
    this.sections = sections;
  }

  /** True when the section exists (DEFAULT never counts, as in configparser's `has_section`). */
  hasSection(name: string): boolean {
    return this.sections.has(name);
  }

  /** True when `option` is visible in `section` (its own or DEFAULT's). */
  has(section: string, option: string): boolean {
    const s = this.sections.get(section);
    const key = option.toLowerCase();
    return Boolean(s?.options.has(key) || this.defaults.options.has(key));
  }

  /** The raw value entry (own or from DEFAULT), for its line. */
  entry(section: string, option: string): IniValue | undefined {
    const key = option.toLowerCase();
    return this.sections.get(section)?.options.get(key) ?? this.defaults.options.get(key);
  }

  /**
   * The value of `option` in `section`, interpolated unless `raw` (BasicInterpolation: `%(name)s`
   * from the same section or DEFAULT, `%%` for `%`). `undefined` when absent.
   */
  get(section: string, option: string, raw = false): string | undefined {
    const entry = this.entry(section, option);
    if (!entry) return undefined;
    if (raw) return entry.raw;
    return this.interpolate(section, option.toLowerCase(), entry);
  }

  /** Line of an option (or of the section header when the option is absent). */
  lineOf(section: string, option?: string): number | undefined {
    if (option !== undefined) {
      const entry = this.entry(section, option);
      if (entry) return entry.line || undefined;
    }
    const s = this.sections.get(section);
    return s && s.line > 0 ? s.line : undefined;
  }

  private interpolate(section: string, option: string, entry: IniValue): string {
    const accum: string[] = [];
    this.expanded = 0;
    this.interpolateSome(section, option, entry, accum, entry.raw, 1);
    return accum.join('');
  }

  private interpolateSome(
    section: string,
    option: string,
    entry: IniValue,
    accum: string[],
    text: string,
    depth: number,
  ): void {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw this.error(
        entry.line,
        `Recursion limit exceeded in value substitution: option '${option}' in section '${section}' contains an interpolation key which cannot be substituted in ${MAX_INTERPOLATION_DEPTH} steps. Raw value: ${pyQuote(entry.raw)}`,
        'InterpolationDepthError',
      );
    }
    // Indices into `text`, never re-slicing the remainder: linear in the value's length.
    let at = 0;
    while (at < text.length) {
      const p = text.indexOf('%', at);
      if (p < 0) {
        accum.push(text.slice(at));
        return;
      }
      if (p > at) accum.push(text.slice(at, p));
      const c = text.charAt(p + 1);
      if (c === '%') {
        accum.push('%');
        at = p + 2;
      } else if (c === '(') {
        const close = text.indexOf(')', p + 2);
        if (close < 0 || close === p + 2 || text.charAt(close + 1) !== 's') {
          throw this.error(
            entry.line,
            `bad interpolation variable reference ${pyQuote(text.slice(p))}`,
            'InterpolationSyntaxError',
            "'%(name)s', or '%%' for a literal '%'",
          );
        }
        const name = text.slice(p + 2, close).toLowerCase();
        at = close + 2;
        const ref = this.entry(section, name);
        if (!ref) {
          throw this.error(
            entry.line,
            `Bad value substitution: option '${option}' in section '${section}' contains an interpolation key '${name}' which is not a valid option name. Raw value: ${pyQuote(entry.raw)}`,
            'InterpolationMissingOptionError',
            `an option '${name}' in [${section}] or [DEFAULT], or defaults={'${name}': …}`,
          );
        }
        // References nest ten deep, so values could otherwise multiply to gigabytes.
        this.expanded += ref.raw.length;
        if (this.expanded > MAX_INTERPOLATED_CHARS) {
          throw this.error(
            entry.line,
            `value substitution in option '${option}' of section '${section}' expands to more than ${MAX_INTERPOLATED_CHARS} characters`,
            'InterpolationDepthError',
            'references that expand to a reasonably sized value',
          );
        }
        if (ref.raw.includes('%')) this.interpolateSome(section, option, entry, accum, ref.raw, depth + 1);
        else accum.push(ref.raw);
      } else {
        throw this.error(
          entry.line,
          `'%' must be followed by '%' or '(', found: ${pyQuote(text.slice(p))}`,
          'InterpolationSyntaxError',
          "'%%' for a literal '%'",
        );
      }
    }
  }

  private error(line: number | undefined, message: string, pythonType: string, expected?: string): ConfigError {
    return new ConfigError(message, { file: this.file, line: line || undefined, pythonType, expected });
  }
}

/** Python's `repr` of a string, for messages that quote values as CPython does. */
export function pyQuote(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return out + quote;
}

/**
 * Parses INI text as configparser does for fileConfig. Throws a located {@link ConfigError} for a
 * missing section header, a line that is not `name = value`, duplicate sections or options
 * (strict mode, compared after lower-casing option names) and a UTF-8 byte order mark.
 */
export function parseIni(text: string, options: IniParseOptions = {}): IniFile {
  const scan = new IniScan(options.file, options.defaults);
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const [i, line] of lines.entries()) scan.line(i + 1, line);
  return scan.finish();
}

type PendingValue = { lines: string[]; line: number; key: string };

/** configparser's reading state, line by line: the current section, option and indentation. */
class IniScan {
  readonly #defaults: IniSection = { name: 'DEFAULT', line: 0, options: new Map() };
  readonly #sections = new Map<string, IniSection>();
  readonly #seenSections = new Set<string>();
  readonly #seenOptions = new Set<string>();
  // Each value is built as a list of lines and joined at the end, as configparser does.
  readonly #pending = new Map<IniSection, Map<string, PendingValue>>();
  readonly #badLines: Array<{ line: number; text: string }> = [];
  #current: IniSection | null = null;
  #values: Map<string, PendingValue> | null = null;
  #optname: string | null = null;
  #indentLevel = 0;

  constructor(
    readonly file: string | undefined,
    defaults: IniParseOptions['defaults'],
  ) {
    for (const [key, value] of Object.entries(defaults ?? {}))
      this.#defaults.options.set(key.toLowerCase(), { raw: String(value), line: 0, key });
  }

  line(lineno: number, line: string): void {
    const stripped = pyStrip(line);
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = isComment ? '' : stripped;
    if (!value) {
      // An empty line inside a value is kept (and trailing ones dropped at the end); a comment is not.
      if (!isComment && this.#values && this.#optname) this.#values.get(this.#optname)?.lines.push('');
      return;
    }
    const indent = indentOf(line);
    if (this.#current && this.#values && this.#optname && indent > this.#indentLevel) {
      this.#values.get(this.#optname)?.lines.push(value);
      return;
    }
    this.#indentLevel = indent;
    const header = SECTION_RE.exec(value);
    if (header)
      this.#header(header[1]!, lineno); // SECTION_RE's group is not optional
    else this.#option(lineno, line, value);
  }

  #header(name: string, lineno: number): void {
    const file = this.file;
    let current: IniSection;
    const existing = name === 'DEFAULT' ? undefined : this.#sections.get(name);
    if (name === 'DEFAULT') {
      current = this.#defaults;
    } else if (existing) {
      if (this.#seenSections.has(name)) {
        throw new ConfigError(
          `While reading from ${pyQuote(file ?? '<string>')} [line ${pad(lineno)}]: section ${pyQuote(name)} already exists`,
          { file, line: lineno, pythonType: 'DuplicateSectionError', expected: 'each section once' },
        );
      }
      current = existing;
      this.#seenSections.add(name);
    } else {
      current = { name, line: lineno, options: new Map() };
      this.#sections.set(name, current);
      this.#seenSections.add(name);
    }
    let values = this.#pending.get(current);
    if (!values) this.#pending.set(current, (values = new Map<string, PendingValue>()));
    this.#current = current;
    this.#values = values;
    this.#optname = null;
  }

  #option(lineno: number, line: string, value: string): void {
    const file = this.file;
    const current = this.#current;
    if (!current || !this.#values) {
      const bom = line.charCodeAt(0) === 0xfeff;
      throw new ConfigError(
        `File contains no section headers.\nfile: ${pyQuote(file ?? '<string>')}, line: ${lineno}\n${pyQuote(line + '\n')}` +
          (bom
            ? ' (the file starts with a UTF-8 byte order mark; save it without one or pass encoding: "utf-8-sig")'
            : ''),
        { file, line: lineno, pythonType: 'RuntimeError', expected: 'a [section] header first' },
      );
    }
    const opt = splitOption(value);
    if (!opt) {
      this.#badLines.push({ line: lineno, text: line });
      this.#optname = null;
      return;
    }
    const key = opt.key;
    const lower = key.toLowerCase();
    const seenKey = `${current.name}\u0000${lower}`;
    if (this.#seenOptions.has(seenKey)) {
      throw new ConfigError(
        `While reading from ${pyQuote(file ?? '<string>')} [line ${pad(lineno)}]: option ${pyQuote(lower)} in section ${pyQuote(current.name)} already exists`,
        {
          file,
          line: lineno,
          pythonType: 'DuplicateOptionError',
          expected: 'each option once per section (names are case-insensitive)',
        },
      );
    }
    this.#seenOptions.add(seenKey);
    this.#optname = lower;
    this.#values.set(lower, { lines: [opt.value], line: lineno, key });
  }

  finish(): IniFile {
    for (const [section, values] of this.#pending) {
      for (const [name, v] of values) {
        section.options.set(name, { raw: pyRstrip(v.lines.join('\n')), line: v.line, key: v.key });
      }
    }
    const [first] = this.#badLines;
    if (first) {
      const list = this.#badLines.map((b) => `\n\t[line ${pad(b.line)}]: ${pyQuote(b.text + '\n')}`).join('');
      throw new ConfigError(`Source contains parsing errors: ${pyQuote(this.file ?? '<string>')}${list}`, {
        file: this.file,
        line: first.line,
        pythonType: 'RuntimeError',
        expected: "'name = value' or 'name: value'",
      });
    }
    return new IniFile(this.file, this.#defaults, this.#sections);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, ' ');
}

// Python's whitespace (str.strip and re's \s), which unlike JavaScript's \s excludes U+FEFF: that is
// why a byte order mark breaks parsing in Python, and must here too. Scanned by hand, not with a
// `\s+$` regex, which backtracks quadratically over long runs of inner whitespace.
function isPyWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function pyStrip(s: string): string {
  const start = indentOf(s);
  return start === s.length ? '' : s.slice(start, rstripEnd(s));
}

function pyRstrip(s: string): string {
  return s.slice(0, rstripEnd(s));
}

/** Index just past the last non-whitespace character. */
function rstripEnd(s: string): number {
  let end = s.length;
  while (end > 0 && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return end;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && isPyWhitespace(line.charCodeAt(i))) i++;
  return i;
}

/**
 * Python's OPTCRE on a stripped line: the name up to the FIRST `=` or `:` (trailing whitespace
 * dropped), the stripped rest as the value; `null` when there is no delimiter or no name. One
 * pass, where the equivalent lazy regex backtracks quadratically on a long line without one.
 */
export function splitOption(stripped: string): { key: string; value: string } | null {
  let at = 0;
  while (at < stripped.length) {
    const code = stripped.charCodeAt(at);
    if (code === 0x3d || code === 0x3a) break;
    at++;
  }
  if (at === stripped.length) return null;
  const key = pyRstrip(stripped.slice(0, at));
  if (key === '') return null;
  return { key, value: pyStrip(stripped.slice(at + 1)) };
}
