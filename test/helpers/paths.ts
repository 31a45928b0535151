/**
 * Where things are, from a compiled test file: tests run from `<outDir>/test/...`, where outDir is
 * `dist` in CI (or `dist-<area>` while developing), and read source fixtures from the repo.
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
/** The shared seed article. */
export const seedArticle = resolve(repoRoot, '..', 'shared', 'seed', 'dynamic-logging-article.txt');
