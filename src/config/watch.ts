/**
 * `configure(path, { watch })`: apply a configuration file by its extension and, optionally, keep
 * following it. Saves are debounced (editors write in several steps); a broken save keeps the
 * running configuration and says why on the `logdial` logger.
 */
import { type FSWatcher, existsSync, readFileSync, watch as fsWatch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ERROR } from '../core/levels.js';
import { getLogger } from '../core/logger.js';
import { type AppliedConfig, type ApplyOptions, applySpec } from './apply.js';
import { ConfigError } from './errors.js';
import { loadConfigFile } from './load.js';

/** Options of {@link configure}. */
export interface ConfigureOptions extends ApplyOptions {
  /** Reload when the file changes (default false). */
  watch?: boolean | undefined;
  /** Quiet period after the last change before reloading, in ms (default 150). */
  debounceMs?: number | undefined;
  /** INI only: Python's `defaults=` for `%(name)s`. */
  defaults?: Record<string, string | number | boolean> | undefined;
  /** INI only: `disable_existing_loggers` (dictConfig files say it themselves). */
  disableExistingLoggers?: boolean | undefined;
  /** Called after each reload attempt (for tests and dashboards). */
  onReload?: ((result: { applied?: AppliedConfig; error?: ConfigError }) => void) | undefined;
}

/** A configured file, possibly being watched. */
export interface ConfigHandle {
  /** Absolute path of the file. */
  readonly path: string;
  /** The configuration currently applied from it. */
  readonly applied: AppliedConfig;
  /** Re-reads and applies the file now; a broken file keeps the previous configuration and returns the error. */
  reload(): AppliedConfig | ConfigError;
  /** Stops watching (the configuration stays in effect). */
  close(): void;
}

/**
 * Applies a configuration file chosen by extension — `.conf`/`.ini` (fileConfig), `.json`,
 * `.yaml`/`.yml` (dictConfig) — and with `watch: true` re-applies it whenever it changes.
 * The first apply throws a located {@link ConfigError}; later broken saves are logged on the
 * `logdial` logger and leave the running configuration as it was.
 */
export function configure(path: string, options: ConfigureOptions = {}): ConfigHandle {
  const file = resolve(path);
  const load = () => {
    const spec = loadConfigFile(path, {
      defaults: options.defaults,
      disableExistingLoggers: options.disableExistingLoggers,
    });
    return applySpec(spec, { ...options, source: options.source ?? file });
  };
  let applied = load();
  let lastText = safeRead(file);
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  const log = getLogger('logdial');

  const reload = (): AppliedConfig | ConfigError => {
    try {
      applied = load();
      lastText = safeRead(file);
      report(() => log.info('logging configuration reloaded from %s', file));
      options.onReload?.({ applied });
      return applied;
    } catch (e) {
      const error = e instanceof ConfigError ? e : new ConfigError((e as Error).message, { file, cause: e });
      lastText = safeRead(file);
      report(
        () => log.error('logging configuration %s not applied, keeping the previous one: %s', file, error.message),
        error.message,
      );
      options.onReload?.({ error });
      return error;
    }
  };

  if (options.watch) {
    const name = basename(file);
    const onChange = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (!existsSync(file)) return; // mid-save (rename): the next event brings the new file
        const text = safeRead(file);
        if (text === lastText) return;
        reload();
      }, options.debounceMs ?? 150);
      timer.unref();
    };
    watcher = fsWatch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name) onChange();
    });
    watcher.on('error', () => {
      // The directory went away: nothing left to follow.
      watcher?.close();
      watcher = null;
    });
  }

  return {
    path: file,
    get applied() {
      return applied;
    },
    reload,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      watcher?.close();
      watcher = null;
    },
  };
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Logs on `logdial`, or on stderr when the configuration disabled that logger or raised it above ERROR. */
function report(logIt: () => void, fallback?: string): void {
  const log = getLogger('logdial');
  if (fallback !== undefined && (log.disabled || !log.isEnabledFor(ERROR))) {
    process.stderr.write(`logdial: ${fallback}\n`);
    return;
  }
  logIt();
}
