/**
 * The `yaml` package, loaded on first use: it costs about 25 ms to import, which every process
 * (and every CLI start) would pay even when no YAML is ever read.
 */
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

/** The `yaml` module, required synchronously the first time it is needed. */
export function yaml(): YamlModule {
  return (loaded ??= createRequire(import.meta.url)('yaml') as YamlModule);
}
