/** Configuration: INI (fileConfig) and JSON/YAML (dictConfig) → validated spec → all-or-nothing apply. */
export { ConfigError, type ConfigLocation, type ConfigErrorDetails } from './errors.js';
export { parseIni, IniFile, type IniValue, type IniSection, type IniParseOptions } from './ini.js';
export { parsePyLiteral, PyTuple, PyDict, PyRef, type PyValue } from './py-literal.js';
export {
  registerClass,
  unregisterClass,
  resolveClass,
  builtinClassNames,
  type UserClass,
  type ClassEntry,
} from './registry.js';
export type {
  ConfigSpec,
  FormatterSpec,
  FilterSpec,
  HandlerSpec,
  LoggerSpec,
  HandlerLevelSpec,
  ClassCall,
} from './spec.js';
export { parseFileConfig, type FileConfigParseOptions } from './file-config.js';
export { parseDictConfig, type DictConfigParseOptions } from './dict-config.js';
export type * from './dict-schema.js';
export {
  parseConfigText,
  loadConfigFile,
  formatForPath,
  detectFormat,
  fileConfig,
  dictConfig,
  MAX_CONFIG_BYTES,
  type ParseOptions,
  type FileConfigOptions,
} from './load.js';
export { applySpec, specFilePaths, getCurrentConfig, type ApplyOptions, type AppliedConfig } from './apply.js';
export { selectConfigFile, type SelectConfigOptions } from './environment.js';
export { configure, type ConfigureOptions, type ConfigHandle } from './watch.js';
export {
  summarizeSpec,
  formatSummary,
  type ConfigSummary,
  type LoggerSummary,
  type HandlerSummary,
  type FormatterSummary,
} from './summary.js';
