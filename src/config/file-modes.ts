/**
 * Which handlers of a spec would truncate a file that already exists (mode `'w'`). A pushed
 * configuration may not: one push once erased the process's own log. Configurations the process
 * applies itself keep Python's modes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { ConfigSpec, HandlerSpec } from './spec.js';

/** True when a handler opened with these arguments would empty `path` (mode `'w'`, no size rotation). */
export function truncates(values: Readonly<Record<string, unknown>>): boolean {
  const mode = values['mode'];
  // A RotatingFileHandler with maxBytes appends whatever its mode (as in Python).
  return (
    typeof mode === 'string' &&
    mode.includes('w') &&
    !(typeof values['maxBytes'] === 'number' && values['maxBytes'] > 0)
  );
}

/** Throws a located {@link ConfigError} for the first handler that would truncate an existing file. */
export function checkNoTruncation(spec: ConfigSpec): void {
  for (const h of spec.handlers) {
    if (!truncates(h.call.bound.values)) continue;
    for (const file of h.call.entry.files?.(h.call.bound) ?? []) {
      const path = resolve(file);
      if (existsSync(path)) throw truncationError(h, path);
    }
  }
}

function truncationError(h: HandlerSpec, path: string): ConfigError {
  return new ConfigError(
    `handler '${h.id}' would truncate ${path} (mode '${String(h.call.bound.values['mode'])}'): a pushed configuration appends to existing files`,
    {
      ...h.call.loc,
      pythonType: 'PermissionError',
      expected: "mode 'a' (the default), or a file that does not exist yet",
    },
  );
}
