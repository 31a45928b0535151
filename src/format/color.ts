/**
 * The seed's `logging.ColorFormatter`: a format with colour tokens (`$YELLOW%(asctime)s $RESET`),
 * rendered with ANSI codes when the handler's destination wants colour and with the tokens
 * removed otherwise. Tokens are replaced before the style sees the format, so they work in all
 * three styles (in a `$` format, a token wins over a field of the same name).
 */
import { CRITICAL, ERROR, INFO, WARNING } from '../core/levels.js';
import type { LogRecord } from '../core/record.js';
import { Formatter } from './formatter.js';
import { type CompiledFormat, type FormatStyle, compileFormat } from './styles.js';
import type { FormatContext } from './types.js';

/** ANSI codes for the fixed colour tokens. */
export const COLOR_CODES: Readonly<Record<string, string>> = Object.freeze({
  RESET: '\x1b[0m',
  BOLD: '\x1b[1m',
  BLACK: '\x1b[30m',
  RED: '\x1b[31m',
  GREEN: '\x1b[32m',
  YELLOW: '\x1b[33m',
  BLUE: '\x1b[34m',
  MAGENTA: '\x1b[35m',
  CYAN: '\x1b[36m',
  WHITE: '\x1b[37m',
});

/**
 * What `$COLOR` becomes for a record, by level: the entry with the highest level not above the
 * record's level wins, so custom levels take the colour of the standard level below them.
 * DEBUG (and below) cyan, INFO green, WARNING yellow, ERROR red, CRITICAL bold red.
 */
export const DEFAULT_LEVEL_COLORS: ReadonlyArray<readonly [level: number, code: string]> = Object.freeze([
  [CRITICAL, '\x1b[1;31m'],
  [ERROR, '\x1b[31m'],
  [WARNING, '\x1b[33m'],
  [INFO, '\x1b[32m'],
  [Number.NEGATIVE_INFINITY, '\x1b[36m'],
] as const);

const TOKEN = /\$(RESET|BOLD|BLACK|RED|GREEN|YELLOW|BLUE|MAGENTA|CYAN|WHITE|COLOR)/g;

/**
 * Strips one matching pair of surrounding quotes: the seed's `info.conf` wraps its format in
 * single quotes, which Python's configparser keeps but the seed's output does not show.
 */
export function stripSurroundingQuotes(text: string): string {
  if (text.length >= 2) {
    const first = text[0];
    if ((first === "'" || first === '"') && text[text.length - 1] === first) return text.slice(1, -1);
  }
  return text;
}

/**
 * A {@link Formatter} whose format may hold `$RESET $BOLD $BLACK $RED $GREEN $YELLOW $BLUE $MAGENTA
 * $CYAN $WHITE` and `$COLOR` (the record level's colour, see {@link DEFAULT_LEVEL_COLORS}).
 * Colour is used when the handler's {@link FormatContext} says so (`context.color`); otherwise,
 * and when no context is given, the tokens are removed.
 *
 * ```ini
 * [formatter_default]
 * class: logging.ColorFormatter
 * format: '$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s'
 * ```
 */
export class ColorFormatter extends Formatter {
  /** The format with its tokens, after quote stripping. */
  readonly colorFmt: string;
  /** `$COLOR` per level, highest level first. */
  readonly levelColors: ReadonlyArray<readonly [number, string]>;
  // One compiled variant per distinct $COLOR code: colour costs nothing per record.
  private readonly variants = new Map<string, CompiledFormat>();
  private readonly byLevel = new Map<number, CompiledFormat>();
  private readonly variantDefaults: Record<string, unknown> | undefined;

  constructor(
    fmt?: string | null,
    datefmt?: string | null,
    style: FormatStyle = '%',
    validate = true,
    defaults?: Record<string, unknown> | null,
    levelColors: ReadonlyArray<readonly [number, string]> = DEFAULT_LEVEL_COLORS,
  ) {
    const colorFmt = fmt ? stripSurroundingQuotes(fmt) : '';
    super(colorFmt.replace(TOKEN, ''), datefmt, style, validate, defaults);
    this.colorFmt = colorFmt || this.fmt;
    this.levelColors = [...levelColors].sort((a, b) => b[0] - a[0]);
    this.variantDefaults = defaults ?? undefined;
  }

  /** The ANSI code `$COLOR` stands for at `levelno`. */
  colorFor(levelno: number): string {
    for (const [level, code] of this.levelColors) if (levelno >= level) return code;
    return '';
  }

  override format(record: LogRecord, context?: FormatContext): string {
    if (!context?.color) return this.formatWith(this.compiled, record);
    return this.formatWith(this.byLevel.get(record.levelno) ?? this.variantFor(record.levelno), record);
  }

  private variantFor(levelno: number): CompiledFormat {
    const levelCode = this.colorFor(levelno);
    let variant = this.variants.get(levelCode);
    if (!variant) {
      const colored = this.colorFmt.replace(
        TOKEN,
        (_token, name: string) => (name === 'COLOR' ? levelCode : COLOR_CODES[name]!), // TOKEN names only COLOR_CODES' keys
      );
      variant = compileFormat(colored, this.style, this.variantDefaults);
      this.variants.set(levelCode, variant);
    }
    this.byLevel.set(levelno, variant);
    return variant;
  }
}

function forcedColor(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return !(value === '0' || value.toLowerCase() === 'false');
}

/**
 * Whether output to file descriptor `fd` should be coloured: `FORCE_COLOR` (non-empty) decides
 * first — on, unless it is `0` or `false`, which force colour off —, then a non-empty `NO_COLOR`
 * turns it off, else colour is on exactly when `fd` is a terminal.
 */
export function colorEnabledFor(fd: number): boolean {
  const forced = forcedColor(process.env['FORCE_COLOR']);
  if (forced !== undefined) return forced;
  if (process.env['NO_COLOR']) return false;
  try {
    // tty (which loads net) loads when a terminal is asked about, not with the library.
    return process.getBuiltinModule('node:tty').isatty(fd);
  } catch {
    return false;
  }
}
