/**
 * Logria-style parsers defined in a file: a JSON object with `type` `regex` (capture groups, in
 * order, are the fields) or `split` (the line split on a literal `pattern`), and `analytics`
 * naming the fields in order with Logria's methods (`count`, `sum`, `average`/`mean`, `mode`,
 * `date`, `time`, `none`); `fields` may name them instead. A parsed line gets fields to filter on
 * (`--where Level=ERROR`), to count (a field named like a level, logger or process fills those
 * panel rows) and to aggregate (`:agg FIELD`). Names are used as written and with every character
 * outside `[\w.@-]` replaced by `_` (`Remote Host` is also `Remote_Host`).
 *
 * `--parser NAME` without a slash or `.json` is read from the user's XDG config directory
 * (`$XDG_CONFIG_HOME/logdial/parsers/NAME.json`, else `~/.config/logdial/parsers/…`).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LEVEL_RANKS } from './filters.js';
import type { JsonFields } from './json-lines.js';

/** Logria's analytics methods, with `mean` as a synonym of its `average`. */
export const METHODS = ['count', 'sum', 'average', 'mean', 'mode', 'date', 'time', 'none'] as const;
export type Method = (typeof METHODS)[number];

/** A parser's definition, validated. */
export interface ParserSpec {
  name: string;
  type: 'regex' | 'split';
  pattern: string;
  /** Field names in order, each with its method. */
  fields: Array<{ name: string; method: Method }>;
}

const LEVEL_NAMES = /^(level|levelname|severity)$/i;
const LOGGER_NAMES = /^(logger|name|caller|module)$/i;
const PROCESS_NAMES = /^(process|processname|pid)$/i;
const MESSAGE_NAMES = /^(message|msg)$/i;
const TIME_NAMES = /^(time|timestamp|date|asctime)$/i;

/** The file `--parser` names: a path, or a name under the XDG config directory. */
export function parserPath(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.json')) return nameOrPath;
  const config = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(config, 'logdial', 'parsers', `${nameOrPath}.json`);
}

/** Validates a parsed definition; throws naming the file, the key and what was expected. */
export function parserSpec(data: unknown, file: string): ParserSpec {
  const fail = (key: string, expected: string): never => {
    throw new Error(`${file} at ${key}: expected ${expected}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('(top)', 'a JSON object');
  const o = data as Record<string, unknown>;
  const type = o['type'];
  if (type !== 'regex' && type !== 'split') fail('type', `"regex" or "split", got ${JSON.stringify(type)}`);
  const pattern = o['pattern'];
  if (typeof pattern !== 'string' || pattern === '') fail('pattern', 'a non-empty string');
  const fields: ParserSpec['fields'] = [];
  const analytics = o['analytics'];
  if (analytics !== undefined) {
    if (typeof analytics !== 'object' || analytics === null || Array.isArray(analytics))
      fail('analytics', 'an object of field name → method');
    for (const [name, method] of Object.entries(analytics as Record<string, unknown>)) {
      const m = typeof method === 'string' ? method.toLowerCase() : method;
      if (!METHODS.includes(m as Method)) fail(`analytics.${name}`, `one of ${METHODS.join(', ')}`);
      fields.push({ name, method: m as Method });
    }
  }
  if (o['fields'] !== undefined) {
    if (!Array.isArray(o['fields']) || !o['fields'].every((f) => typeof f === 'string'))
      fail('fields', 'an array of field names');
    fields.length = 0;
    for (const name of o['fields'] as string[]) fields.push({ name, method: 'none' });
  }
  if (fields.length === 0) fail('analytics', 'the fields named in order (or a "fields" array)');
  if (type === 'regex') {
    try {
      new RegExp(pattern as string);
    } catch (error) {
      fail('pattern', `a valid regular expression (${(error as Error).message})`);
    }
  }
  const name = typeof o['name'] === 'string' ? o['name'] : file;
  return { name, type: type as ParserSpec['type'], pattern: pattern as string, fields };
}

/** Parses lines by a definition. */
export class CustomParser {
  private readonly regex: RegExp | null;

  constructor(readonly spec: ParserSpec) {
    this.regex = spec.type === 'regex' ? new RegExp(spec.pattern) : null;
  }

  /** Reads and validates a parser file; throws naming the file. */
  static load(nameOrPath: string): CustomParser {
    const file = parserPath(nameOrPath);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read parser ${file}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file}: not JSON: ${(error as Error).message}`);
    }
    return new CustomParser(parserSpec(data, file));
  }

  /** The values of a line, in field order, or null when it does not have the parser's shape. */
  private values(plain: string): string[] | null {
    if (this.regex) {
      const match = this.regex.exec(plain);
      return match ? match.slice(1).map((v) => v ?? '') : null;
    }
    const parts = plain.split(this.spec.pattern);
    return parts.length >= this.spec.fields.length ? parts : null;
  }

  /** A line's fields, or null. A split's last field takes the rest of the line. */
  parse(plain: string): JsonFields | null {
    const values = this.values(plain);
    if (!values) return null;
    const fields = this.spec.fields;
    const object: Record<string, unknown> = {};
    const found = { time: '', level: '', logger: '', message: '', process: undefined as string | undefined };
    fields.forEach(({ name, method }, i) => {
      const value = this.regex || i < fields.length - 1 ? (values[i] ?? '') : values.slice(i).join(this.spec.pattern);
      const text = value.trim();
      object[name] = text;
      object[name.replace(/[^\w.@-]/g, '_')] = text;
      if (LEVEL_NAMES.test(name)) found.level = text.toUpperCase();
      else if (LOGGER_NAMES.test(name) && !found.logger) found.logger = text;
      else if (PROCESS_NAMES.test(name)) found.process = text;
      else if (MESSAGE_NAMES.test(name)) found.message = text;
      else if ((TIME_NAMES.test(name) || method === 'date' || method === 'time') && !found.time) found.time = text;
    });
    if (found.process !== undefined) object['process'] = found.process;
    return {
      kind: 'format',
      time: found.time,
      level: found.level,
      rank: LEVEL_RANKS[found.level] ?? 0,
      logger: found.logger,
      message: found.message,
      object: { ...object, level: found.level, logger: found.logger },
    };
  }
}
