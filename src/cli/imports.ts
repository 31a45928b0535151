/**
 * `--import MODULE` for commands that read a configuration: modules that call `registerClass`
 * are loaded first, so a config naming the application's classes validates as the process that
 * applies it would. Paths are taken from the current directory, package names are resolved
 * from it too (as the application would import them).
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Commander collector for a repeatable `--import`. */
export function collectImport(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The option's help text. */
export const IMPORT_HELP =
  'load MODULE first (a file, or a package resolved from the current directory), e.g. the module that calls registerClass(); repeatable';

/** Imports each module in order; throws an Error naming the module that failed. */
export async function importModules(modules: readonly string[] = []): Promise<void> {
  for (const name of modules) {
    const isPath = name.startsWith('.') || isAbsolute(name);
    try {
      const url = isPath
        ? pathToFileURL(resolve(name)).href
        : pathToFileURL(createRequire(join(process.cwd(), 'index.js')).resolve(name)).href;
      await import(url);
    } catch (error) {
      throw new Error(`cannot import ${name} (--import): ${(error as Error).message}`);
    }
  }
}
