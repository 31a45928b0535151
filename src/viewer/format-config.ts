/**
 * The logging format of a config file (`logdial view --config info.conf`): apart from the parser,
 * so viewing without `--config` does not load the config layer.
 */
import { loadConfigFile } from '../config/load.js';

/** The format of a config file's first handler with one (else its first formatter's); throws when none. */
export function formatFromConfig(path: string): string {
  const spec = loadConfigFile(path);
  const byId = new Map(spec.formatters.map((f) => [f.id, f]));
  for (const handler of spec.handlers) {
    const format = handler.formatter ? byId.get(handler.formatter)?.format : null;
    if (format) return format;
  }
  const first = spec.formatters.find((f) => f.format)?.format;
  if (!first) throw new Error(`${path}: no formatter with a format (expected a [formatter_…] section with format=)`);
  return first;
}
