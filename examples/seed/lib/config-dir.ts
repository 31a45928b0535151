/**
 * Where the seed's `.conf` files are. tsc compiles the TypeScript to `<outDir>/examples/seed/…`
 * and does not copy `.conf` files, so look for `logger_config/` next to the seed's folder first
 * (running from the sources, or a copy that includes it), then for the repository's
 * `examples/seed/logger_config/` in every folder above the compiled file (`dist/`, `dist-*`/).
 * `SEED_CONFIG_DIR` overrides both.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findConfigDir(): string {
  const fromEnv = process.env['SEED_CONFIG_DIR'];
  if (fromEnv) return resolve(fromEnv);
  const seedDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const sibling = join(seedDir, 'logger_config');
  if (existsSync(join(sibling, 'info.conf'))) return sibling;
  for (let dir = seedDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'examples', 'seed', 'logger_config');
    if (existsSync(join(candidate, 'info.conf'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`examples/seed/logger_config/ not found above ${seedDir}; set SEED_CONFIG_DIR`);
}
