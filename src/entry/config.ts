/**
 * The config layer as `import 'logdial'` sees it: the classes a program may `instanceof` or
 * `extend` (ConfigError, IniFile, PyTuple, PyDict, PyRef) and the small modules they live in load
 * at import; the parsers, the spec builder, the apply machinery, watching and YAML load at the
 * first call of a function that needs them. Each function here has the exact type of the one in
 * `src/config/`, whose module is loaded synchronously on first use (require of an ES module: the
 * same instance `import` gives, so state such as the class registry is shared with every other
 * importer). A module that can apply a configuration first lets the main thread share what it
 * applies with worker threads (see `entry/control.ts`).
 */
const { createRequire } = process.getBuiltinModule('node:module');
import { shareConfigWithThreads } from './control.js';

export { ConfigError, type ConfigLocation, type ConfigErrorDetails } from '../config/errors.js';
export { parseIni, IniFile, type IniValue, type IniSection, type IniParseOptions } from '../config/ini.js';
export { parsePyLiteral, PyTuple, PyDict, PyRef, type PyValue } from '../config/py-literal.js';
export { MAX_CONFIG_BYTES } from '../config/text-bounds.js';
export type { UserClass, ClassEntry } from '../config/registry.js';
export type {
  ConfigSpec,
  FormatterSpec,
  FilterSpec,
  HandlerSpec,
  LoggerSpec,
  HandlerLevelSpec,
  ClassCall,
} from '../config/spec.js';
export type { FileConfigParseOptions } from '../config/file-config.js';
export type { DictConfigParseOptions } from '../config/dict-config.js';
export type * from '../config/dict-schema.js';
export type { ParseOptions, FileConfigOptions } from '../config/load.js';
export type { ApplyOptions, AppliedConfig } from '../config/apply.js';
export type { SelectConfigOptions } from '../config/environment.js';
export type { ConfigureOptions, ConfigHandle } from '../config/watch.js';
export type { ConfigSummary, LoggerSummary, HandlerSummary, FormatterSummary } from '../config/summary.js';
export type { DictTriggerConfig } from '../config/triggers-spec.js';

const requireModule = createRequire(import.meta.url);

/** A module of src/config/, required on first use; `applies`: it can apply a configuration. */
function onFirstUse<M>(path: string, applies: boolean): () => M {
  let loaded: M | undefined;
  return () => {
    if (loaded) return loaded;
    if (applies) shareConfigWithThreads();
    return (loaded = requireModule(path) as M);
  };
}

/** The function `name` of a module loaded by `load` on the first call. */
function deferred<M, K extends keyof M>(load: () => M, name: K): M[K] {
  const call = (...args: unknown[]): unknown => (load()[name] as (...a: unknown[]) => unknown)(...args);
  return call as M[K];
}

const registry = onFirstUse<typeof import('../config/registry.js')>('../config/registry.js', false);
const fileConfigModule = onFirstUse<typeof import('../config/file-config.js')>('../config/file-config.js', false);
const dictConfigModule = onFirstUse<typeof import('../config/dict-config.js')>('../config/dict-config.js', false);
const load = onFirstUse<typeof import('../config/load.js')>('../config/load.js', true);
const apply = onFirstUse<typeof import('../config/apply.js')>('../config/apply.js', true);
const environment = onFirstUse<typeof import('../config/environment.js')>('../config/environment.js', false);
const watch = onFirstUse<typeof import('../config/watch.js')>('../config/watch.js', true);
const summary = onFirstUse<typeof import('../config/summary.js')>('../config/summary.js', false);
const triggers = onFirstUse<typeof import('../config/triggers-spec.js')>('../config/triggers-spec.js', false);

/** See `config/registry.ts`. */
export const registerClass = deferred(registry, 'registerClass');
/** See `config/registry.ts`. */
export const unregisterClass = deferred(registry, 'unregisterClass');
/** See `config/registry.ts`. */
export const resolveClass = deferred(registry, 'resolveClass');
/** See `config/registry.ts`. */
export const builtinClassNames = deferred(registry, 'builtinClassNames');
/** See `config/file-config.ts`. */
export const parseFileConfig = deferred(fileConfigModule, 'parseFileConfig');
/** See `config/dict-config.ts`. */
export const parseDictConfig = deferred(dictConfigModule, 'parseDictConfig');
/** See `config/load.ts`. */
export const parseConfigText = deferred(load, 'parseConfigText');
/** See `config/load.ts`. */
export const loadConfigFile = deferred(load, 'loadConfigFile');
/** See `config/load.ts`. */
export const formatForPath = deferred(load, 'formatForPath');
/** See `config/load.ts`. */
export const detectFormat = deferred(load, 'detectFormat');
/** See `config/load.ts`. */
export const fileConfig = deferred(load, 'fileConfig');
/** See `config/load.ts`. */
export const dictConfig = deferred(load, 'dictConfig');
/** See `config/apply.ts`. */
export const applySpec = deferred(apply, 'applySpec');
/** See `config/apply.ts`. */
export const specFilePaths = deferred(apply, 'specFilePaths');
/** See `config/apply.ts`. */
export const getCurrentConfig = deferred(apply, 'getCurrentConfig');
/** See `config/environment.ts`. */
export const selectConfigFile = deferred(environment, 'selectConfigFile');
/** See `config/watch.ts`. */
export const configure = deferred(watch, 'configure');
/** See `config/summary.ts`. */
export const summarizeSpec = deferred(summary, 'summarizeSpec');
/** See `config/summary.ts`. */
export const formatSummary = deferred(summary, 'formatSummary');
/** See `config/triggers-spec.ts`. */
export const configureTriggers = deferred(triggers, 'configureTriggers');
