/**
 * The `redact` setting of configuration files: dict `redact:` (a list of paths, or a mapping with
 * `paths`, `censor`, `remove`) and INI `[redact]` (`paths=` comma- or line-separated, `censor=`,
 * `remove=`). Compiled while the file is parsed, so a bad path is a located error and nothing
 * changes; applied with the rest of the configuration.
 */
import { Redactor, RedactPathError } from '../format/redaction.js';

/** A compiled `redact` setting. */
export interface RedactSpec {
  readonly redactor: Redactor;
}

/** Reports a problem at a sub-key of the setting (`paths[1]`, `censor`) and never returns. */
export type RedactFail = (at: Array<string | number>, message: string, expected: string) => never;

/** The dict form: `['a.b', '*.password']` or `{ paths: [...], censor: '***', remove: false }`. */
export function redactFromDict(value: unknown, fail: RedactFail): RedactSpec {
  const opts = Array.isArray(value) ? { paths: value } : value;
  if (typeof opts !== 'object' || opts === null)
    return fail(
      [],
      `redact must be a list of paths or a mapping, not ${JSON.stringify(value)}`,
      "redact: ['req.headers.authorization', '*.password'] or { paths: [...], censor: '[Redacted]', remove: false }",
    );
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'paths' && key !== 'censor' && key !== 'remove')
      fail([key], `redact has no option '${key}'`, 'paths, censor or remove');
  }
  if (!Array.isArray(o['paths']))
    return fail(
      ['paths'],
      'redact.paths must be a list of paths',
      "a list such as ['req.headers.authorization', '*.password']",
    );
  const paths = o['paths'] as unknown[];
  paths.forEach((p, i) => {
    if (typeof p !== 'string')
      fail(['paths', i], `a redact path must be a string, not ${JSON.stringify(p)}`, "a path such as 'user.password'");
  });
  if ('remove' in o && typeof o['remove'] !== 'boolean')
    fail(['remove'], `redact.remove must be true or false, not ${JSON.stringify(o['remove'])}`, 'true or false');
  if ('censor' in o && typeof o['censor'] === 'object' && o['censor'] !== null)
    fail(['censor'], 'redact.censor must be a string, number, boolean or null', "a value such as '[Redacted]'");
  return compile(
    { paths: paths as string[], ...('censor' in o ? { censor: o['censor'] } : {}), remove: o['remove'] === true },
    (i, message) => fail(['paths', i], message, 'pino\'s path syntax: a.b, a[0], a[*].b, *.b, a["x-y"]'),
  );
}

/** Splits an INI `paths=` value on commas and new lines outside brackets. */
export function splitPaths(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === '\n')) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The INI form: the `[redact]` section's `paths`, `censor` and `remove` values. */
export function redactFromIni(
  paths: string,
  censor: string | undefined,
  remove: string | undefined,
  fail: (message: string, expected: string) => never,
): RedactSpec {
  let removeFlag = false;
  if (remove !== undefined) {
    const flag = remove.trim().toLowerCase();
    if (['1', 'yes', 'true', 'on'].includes(flag)) removeFlag = true;
    else if (!['0', 'no', 'false', 'off'].includes(flag))
      fail(`[redact] remove: not a boolean: ${JSON.stringify(remove)}`, 'true or false');
  }
  return compile(
    { paths: splitPaths(paths), ...(censor !== undefined ? { censor } : {}), remove: removeFlag },
    (_i, message) => fail(`[redact] paths: ${message}`, 'pino\'s path syntax: a.b, a[0], a[*].b, *.b, a["x-y"]'),
  );
}

function compile(
  options: { paths: string[]; censor?: unknown; remove: boolean },
  fail: (index: number, message: string) => never,
): RedactSpec {
  try {
    return { redactor: new Redactor(options) };
  } catch (e) {
    if (e instanceof RedactPathError) return fail(options.paths.indexOf(e.path), e.message);
    throw e;
  }
}
