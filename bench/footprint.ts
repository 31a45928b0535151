/**
 * What installing each library costs: the package's own unpacked size (logdial's from
 * `npm pack --dry-run --json --ignore-scripts`, the others' installed folders) plus every
 * package its `dependencies` pull in, walked through this repository's node_modules as npm
 * resolves them (nested first). Optional peer dependencies (ioredis for logdial's bus) are not
 * installed by npm and are counted apart. Source maps in logdial's package are counted too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './common.js';

export interface FootprintRow {
  lib: string;
  /** Unpacked bytes of the package itself. */
  ownBytes: number;
  /** Packages its dependencies install (itself excluded). */
  dependencies: number;
  /** Unpacked bytes of the whole installed tree (itself included). */
  totalBytes: number;
}

export interface FootprintSummary {
  rows: FootprintRow[];
  /** `.map` files in logdial's package. */
  mapFiles: number;
  mapBytes: number;
  /** Optional peers of logdial, with their installed size, not counted above. */
  optional: Array<{ name: string; totalBytes: number; dependencies: number }>;
  note: string;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** The folder npm would load `name` from, starting at `from` (a package folder). */
function resolvePackage(name: string, from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Every package folder the `dependencies` of `pkgDir` install, transitively. */
function dependencyClosure(pkgDir: string, names: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = names.map((n) => [n, pkgDir] as const);
  while (pending.length > 0) {
    const [name, from] = pending.pop()!;
    const dir = resolvePackage(name, from);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) pending.push([dep, dir]);
  }
  return seen;
}

function row(lib: string, ownBytes: number, deps: Set<string>): FootprintRow {
  let total = ownBytes;
  for (const dir of deps) total += folderBytes(dir);
  return { lib, ownBytes, dependencies: deps.size, totalBytes: total };
}

export function run(): FootprintSummary {
  const root = repoRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as Array<{ unpackedSize: number; files: Array<{ path: string; size: number }> }>;
  const maps = packed[0]!.files.filter((f) => f.path.endsWith('.map'));
  const rows = [row('logdial', packed[0]!.unpackedSize, dependencyClosure(root, Object.keys(pkg.dependencies ?? {})))];
  for (const lib of ['pino', 'winston']) {
    const dir = resolvePackage(lib, root);
    if (!dir) continue;
    const deps = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    rows.push(row(lib, folderBytes(dir), dependencyClosure(dir, Object.keys(deps.dependencies ?? {}))));
  }
  const optional = Object.keys(pkg.peerDependencies ?? {}).flatMap((name) => {
    const dir = resolvePackage(name, root);
    if (!dir) return [];
    const deps = dependencyClosure(root, [name]);
    let total = 0;
    for (const d of deps) total += folderBytes(d);
    return [{ name, totalBytes: total, dependencies: deps.size - 1 }];
  });
  return {
    rows,
    mapFiles: maps.length,
    mapBytes: maps.reduce((a, f) => a + f.size, 0),
    optional,
    note: "logdial's own size is `npm pack --dry-run`'s unpacked size; dependencies are the packages their `dependencies` install, found in this repository's node_modules as npm resolves them.",
  };
}
