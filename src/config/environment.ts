/**
 * Choosing the configuration file for the environment, as the seed's `DEFAULT_FILES` does:
 * `LOGDIAL_CONFIG` wins, then `ENV`, then `NODE_ENV`, then a default.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.js';

/** Options of {@link selectConfigFile}. */
export interface SelectConfigOptions {
  /** Environment name → file, e.g. `{ dev: 'logger_config/info.conf', prod: 'logger_config/error.conf' }`. */
  files: Readonly<Record<string, string>>;
  /** File used when no environment variable names a known environment (the seed's `debug.conf`). */
  default?: string | undefined;
  /** Directory relative paths are resolved against (default: kept relative, i.e. the cwd). */
  dir?: string | undefined;
  /** The environment to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The configuration file for this process: `LOGDIAL_CONFIG` when set; else `files[ENV]`; else
 * `files[NODE_ENV]`; else `default`. Throws a {@link ConfigError} when nothing applies.
 *
 * ```ts
 * configure(selectConfigFile({ files: { dev: 'info.conf', prod: 'error.conf' }, default: 'debug.conf' }));
 * ```
 */
export function selectConfigFile(options: SelectConfigOptions): string;
/** The seed's form: `DEFAULT_FILES.get(ENV, default)` (with NODE_ENV and LOGDIAL_CONFIG as above). */
export function selectConfigFile(files: Readonly<Record<string, string>>, defaultFile?: string): string;
export function selectConfigFile(
  arg: SelectConfigOptions | Readonly<Record<string, string>>,
  defaultFile?: string,
): string {
  const options: SelectConfigOptions =
    typeof (arg as SelectConfigOptions).files === 'object' && (arg as SelectConfigOptions).files !== null
      ? (arg as SelectConfigOptions)
      : { files: arg as Readonly<Record<string, string>>, default: defaultFile };
  const env = options.env ?? process.env;
  const place = (file: string) => (options.dir && !isAbsolute(file) ? resolve(options.dir, file) : file);
  const override = env['LOGDIAL_CONFIG'];
  if (override) return place(override);
  for (const variable of ['ENV', 'NODE_ENV']) {
    const name = env[variable];
    const file = name && Object.hasOwn(options.files, name) ? options.files[name] : undefined;
    if (file !== undefined) return place(file);
  }
  if (options.default !== undefined) return place(options.default);
  throw new ConfigError(`no configuration file for ENV=${env['ENV'] ?? ''} NODE_ENV=${env['NODE_ENV'] ?? ''}`, {
    expected: `ENV or NODE_ENV one of ${Object.keys(options.files).join(', ')}, LOGDIAL_CONFIG, or a default file`,
  });
}
