/**
 * Which top-level keys a dict config may have: the schema's, any section that a `cfg://` value
 * refers to (Python's way of sharing a value, `cfg://mail.host`), and comments in JSON's
 * convention (a key starting with `//`). Anything else is a typo (`handler:`, `logger:`,
 * `bogus:`) that Python would ignore silently; here it is an error.
 */

const topLevelKeys = new Set([
  'version',
  'incremental',
  'disable_existing_loggers',
  'formatters',
  'filters',
  'handlers',
  'loggers',
  'root',
  'redact',
  'triggers',
]);

/** The top-level keys of the schema (Python's, logdial's `redact`, and sections added since). */
export const DICT_TOP_LEVEL_KEYS: ReadonlySet<string> = topLevelKeys;

/** Makes `key` a known top-level key (a section another module reads). */
export function addTopLevelKey(key: string): void {
  topLevelKeys.add(key);
}

/** Bound on the values visited looking for `cfg://` (a config is small; an object graph may not be). */
const MAX_VISITED = 100_000;

/** The top-level names that `cfg://name…` strings anywhere in `config` refer to. */
export function cfgReferencedKeys(config: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [config];
  while (stack.length > 0 && seen.size < MAX_VISITED) {
    const value = stack.pop();
    if (typeof value === 'string') {
      const match = /^cfg:\/\/\s*(\w+)/.exec(value);
      if (match) names.add(match[1]!); // not an optional group
    } else if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value);
      for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push(item);
    }
  }
  return names;
}

/** The first top-level key of `config` that is neither in the schema nor referred to by `cfg://`. */
export function unknownTopLevelKey(config: Record<string, unknown>): string | undefined {
  let referenced: Set<string> | undefined;
  for (const key of Object.keys(config)) {
    if (DICT_TOP_LEVEL_KEYS.has(key) || key.startsWith('//')) continue;
    referenced ??= cfgReferencedKeys(config);
    if (!referenced.has(key)) return key;
  }
  return undefined;
}
