/**
 * Where things are, from a compiled test file: tests run from `<outDir>/test/...` (outDir is `dist`
 * unless tsc was given another), and read source fixtures from the repository.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The compiled tree: `<repo>/dist` (holds `src/`, `test/`, `examples/`, `bench/`). */
export const distRoot = resolve(here, '..', '..');
/** The repository root. */
export const repoRoot = resolve(distRoot, '..');
/** Source fixtures that are not TypeScript (configs, python scripts). */
export const sourceFixtures = join(repoRoot, 'test', 'fixtures');
/** Compiled TypeScript fixtures (child programs). */
export const compiledFixtures = join(distRoot, 'test', 'fixtures');
/** The compiled library entry point, for child programs. */
export const libraryEntry = join(distRoot, 'src', 'index.js');
/** The CLI entry point compiled in this tree. */
export const cliEntry = join(distRoot, 'src', 'cli', 'run.js');
