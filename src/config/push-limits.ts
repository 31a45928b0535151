/**
 * Limits on one pushed configuration, checked on the document before anything is built. A push
 * is parsed off the main thread first (see the control plane's push preparation); these bounds
 * make what the main thread then parses and applies small, whatever a peer sends. Files and code
 * configured by the process itself are not limited.
 *
 * Invariant: every check walks the document once, without recursion.
 */
import { ConfigError, joinPath } from './errors.js';
import { type IniFile, parseIni } from './ini.js';
import { parseDictText } from './load.js';
import { jsonDepthExceeds, MAX_NESTING } from './text-bounds.js';

/** The documented limits of one push (docs/configuration.md, "Limits of a pushed configuration"). */
export const PUSH_LIMITS = {
  /** Characters of configuration text. */
  bytes: 256 * 1024,
  loggers: 500,
  handlers: 100,
  formatters: 100,
  filters: 100,
  /** Levels of nesting in a JSON/YAML document. */
  nesting: MAX_NESTING,
} as const;

type Counted = 'loggers' | 'handlers' | 'formatters' | 'filters';
const SECTIONS: readonly Counted[] = ['loggers', 'handlers', 'formatters', 'filters'];

/** A pushed configuration's document, read and checked against {@link PUSH_LIMITS}. */
export interface PushDocument {
  /** The parsed JSON/YAML document (INI is parsed again where it is applied: it is linear and cheap). */
  value?: unknown;
  /** dictConfig's `disable_existing_loggers` when the document sets it. */
  disableExisting?: boolean | undefined;
}

/**
 * Reads pushed configuration text and checks it against {@link PUSH_LIMITS}: the syntax, sizes
 * and nesting, not the classes (those are resolved where the push is applied, which knows the
 * process's registered classes). Throws a located {@link ConfigError}.
 */
export function readPushDocument(
  text: string,
  format: 'ini' | 'json' | 'yaml',
  file: string | undefined,
): PushDocument {
  checkPushSize(text, file);
  if (format === 'ini') {
    checkIniPushLimits(parseIni(text, { file }));
    return {};
  }
  if (format === 'json' && jsonDepthExceeds(text, PUSH_LIMITS.nesting)) {
    throw tooMany(
      { file },
      `nested more than ${PUSH_LIMITS.nesting} levels deep`,
      `at most ${PUSH_LIMITS.nesting} levels of nesting`,
    );
  }
  const { value, lineOf } = parseDictText(text, format, file);
  checkDictPushLimits(value, file, lineOf);
  const explicit = value && typeof value === 'object' && Object.hasOwn(value, 'disable_existing_loggers');
  return {
    value,
    disableExisting: explicit ? Boolean((value as Record<string, unknown>)['disable_existing_loggers']) : undefined,
  };
}

/** Throws a located {@link ConfigError} when pushed text is longer than {@link PUSH_LIMITS}.bytes. */
export function checkPushSize(text: string, file: string | undefined): void {
  if (text.length > PUSH_LIMITS.bytes) {
    throw tooMany(
      { file },
      `a pushed configuration is ${text.length} characters long`,
      `at most ${PUSH_LIMITS.bytes} characters per push`,
    );
  }
}

/** Checks a dictConfig document (parsed JSON/YAML) against {@link PUSH_LIMITS}. */
export function checkDictPushLimits(
  value: unknown,
  file: string | undefined,
  lineOf?: (path: ReadonlyArray<string | number>) => number | undefined,
): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return; // dictConfig says what is wrong
  const doc = value as Record<string, unknown>;
  for (const section of SECTIONS) {
    const entries = doc[section];
    if (!entries || typeof entries !== 'object') continue;
    const count = Object.keys(entries).length;
    if (count > PUSH_LIMITS[section]) {
      throw tooMany(
        { file, path: section, line: lineOf?.([section]) },
        `a pushed configuration may define at most ${PUSH_LIMITS[section]} ${section}; this one defines ${count}`,
        `at most ${PUSH_LIMITS[section]} ${section} per push (split the change, or configure them in the process's own config file)`,
      );
    }
  }
  const deep = deepestPath(doc, PUSH_LIMITS.nesting);
  if (deep) {
    throw tooMany(
      { file, path: deep.reduce<string>((at, key) => joinPath(at || undefined, key), ''), line: lineOf?.(deep) },
      `nested more than ${PUSH_LIMITS.nesting} levels deep`,
      `at most ${PUSH_LIMITS.nesting} levels of nesting`,
    );
  }
}

/** Checks a fileConfig INI file's `keys` lists against {@link PUSH_LIMITS}. */
export function checkIniPushLimits(ini: IniFile): void {
  for (const section of ['loggers', 'handlers', 'formatters'] as const) {
    const keys = ini.get(section, 'keys', true);
    if (keys === undefined) continue;
    const count = keys.split(',').filter((k) => k.trim() !== '').length;
    if (count > PUSH_LIMITS[section]) {
      throw tooMany(
        { file: ini.file, line: ini.lineOf(section, 'keys') },
        `[${section}] keys lists ${count} ${section}; a pushed configuration may define at most ${PUSH_LIMITS[section]}`,
        `at most ${PUSH_LIMITS[section]} ${section} per push`,
      );
    }
  }
}

/** The path to the first value deeper than `limit`, found without recursion. */
function deepestPath(root: object, limit: number): Array<string | number> | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, path } = top;
    if (path.length > limit) return path;
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}

function tooMany(
  loc: { file?: string | undefined; line?: number | undefined; path?: string | undefined },
  message: string,
  expected: string,
): ConfigError {
  return new ConfigError(message, { ...loc, pythonType: 'ValueError', expected });
}
