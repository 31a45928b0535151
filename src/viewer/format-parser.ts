/**
 * Lines parsed by the logging format that wrote them: a Python `%`-style format
 * (`%(asctime)s - %(name)s - %(levelname)s - %(message)s`), given with `--format` or read from a
 * config file's handler (`--config info.conf`), becomes a regular expression with one named
 * group per field, built once. A matching line gets fields — time, level, logger, module,
 * process, message, any other — to filter on (`--where processName=…`) and to count.
 */
import { stripSurroundingQuotes } from '../format/color.js';
import { LEVEL_RANKS } from './filters.js';
import type { JsonFields } from './json-lines.js';

// ColorFormatter's colour tokens: they print escape sequences, which `plain` no longer has.
const COLOUR_TOKEN = /\$(?:RESET|BOLD|BLACK|RED|GREEN|YELLOW|BLUE|MAGENTA|CYAN|WHITE|COLOR)/g;
const CONVERSION = /%\((\w+)\)([#0 +-]*)(\d*)(?:\.\d+)?[diouxXeEfFgGcrsa]|%%/g;

/** The pattern of one field: levels are words, numbers digits, the message the rest. */
function fieldPattern(name: string, last: boolean): string {
  if (name === 'levelname') return '[A-Za-z]+';
  if (['levelno', 'lineno', 'process', 'thread'].includes(name)) return '-?\\d+';
  if (name === 'message' && last) return '.*';
  return '.+?';
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/** Builds the regex of a `%`-style format; throws when the format names no field. */
export function formatRegex(format: string): RegExp {
  const text = stripSurroundingQuotes(format).replace(COLOUR_TOKEN, '');
  const seen = new Set<string>();
  let pattern = '^\\s*';
  let index = 0;
  const conversions = [...text.matchAll(CONVERSION)];
  conversions.forEach((match, i) => {
    pattern += escapeLiteral(text.slice(index, match.index));
    index = match.index + match[0].length;
    if (match[0] === '%%') return void (pattern += '%');
    const name = match[1]!; // a conversion other than %% names its field
    const padded = match[3] !== '';
    const body = fieldPattern(name, i === conversions.length - 1 && text.slice(index).trim() === '');
    pattern +=
      (padded ? '\\s*' : '') + (seen.has(name) ? `(?:${body})` : `(?<${name}>${body})`) + (padded ? '\\s*' : '');
    seen.add(name);
  });
  if (seen.size === 0)
    throw new Error(
      `format '${format}' names no field (expected %(name)s conversions, e.g. %(levelname)s %(message)s)`,
    );
  return new RegExp(pattern + escapeLiteral(text.slice(index)) + '\\s*$');
}

/** Parses lines written with one format. */
export class FormatParser {
  private readonly regex: RegExp;

  constructor(readonly format: string) {
    this.regex = formatRegex(format);
  }

  /** The fields of a line, or null when the line does not have the format's shape. */
  parse(plain: string): JsonFields | null {
    const groups = this.regex.exec(plain)?.groups;
    if (!groups) return null;
    const level = (groups['levelname'] ?? '').toUpperCase();
    return {
      kind: 'format',
      time: groups['asctime'] ?? '',
      level,
      rank: LEVEL_RANKS[level] ?? Number(groups['levelno'] ?? 0),
      logger: groups['name'] ?? '',
      message: groups['message'] ?? '',
      object: { ...groups, level, logger: groups['name'] ?? '' },
    };
  }
}
