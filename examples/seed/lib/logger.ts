/**
 * The seed's `lib/logger.py`, in TypeScript: build the shared LOGGER once, from the configuration
 * file the environment selects, and start the control endpoint so the running process can be
 * reconfigured (`logdial push`, `logdial set`, … — no ports to guess, every process answers).
 *
 * In your own project, import from 'logdial' instead of the relative path below.
 */
import { dirname } from 'node:path';
import { fileConfig, getLogger, listen, selectConfigFile, type Logger } from '../../../src/index.js';
import { findConfigDir } from './config-dir.js';

/** The seed's project folder (it holds `logger_config/`). */
const SEED_DIR = dirname(findConfigDir());

/** The seed's DEFAULT_FILES: dev and test log INFO, prod only errors, anything else DEBUG. */
export const DEFAULT_FILES: Record<string, string> = {
  dev: 'logger_config/info.conf',
  test: 'logger_config/info.conf',
  prod: 'logger_config/error.conf',
};

function buildLogger(): Logger {
  // `logging.ColorFormatter` is one of logdial's built-in class names, so the seed's
  // `logging.ColorFormatter = ColorFormatter` line has no equivalent here.
  // Read the initial config file based on the environment name (ENV, then NODE_ENV;
  // LOGDIAL_CONFIG overrides), defaulting to debug.
  fileConfig(selectConfigFile({ files: DEFAULT_FILES, default: 'logger_config/debug.conf', dir: SEED_DIR }));
  return getLogger(); // Root logger
}

export const LOGGER = buildLogger();

/**
 * The seed looped over ports 9001..9030 probing for a free one. Here every process gets its own
 * Unix socket in a private directory: nothing to probe, no race, and `logdial ls` finds it.
 * `CONTROL.close()` removes the socket and its manifest.
 */
export const CONTROL = listen(
  process.env['SEED_LEGACY'] === '1'
    ? // Also accept the article's update_log_levels.py: Python's bare frames on the first free
      // port of 9001..9030 (taken by binding, so no start-up race). Unauthenticated, as in the
      // article: for local experiments only.
      { app: 'seed', port: [9001, 9030], legacy: true }
    : { app: 'seed' },
);
