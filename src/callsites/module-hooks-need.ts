/**
 * Whether `logdial/callsites` needs Node's module hooks for the program being started.
 *
 * Before Node 22.15 the ES module hooks run in a thread of their own (`module.register`), which
 * costs every start about 10 MiB and several milliseconds, logging or not. Marks only save stack
 * captures — the output is the same without them — so the thread is started only when an ES module
 * that could hold a logging call may load. The decision is conservative: the thread is skipped
 * only when a bounded scan of the entry file's static imports proves that the program's ES modules
 * are those files and that none of them holds a candidate call, a dynamic `import(`, or an import
 * of a package. A CommonJS entry starts it later, from the `require` hook, at the first file that
 * holds an `import(` (register.ts).
 *
 * Invariants: at most {@link MAX_SCANNED_FILES} files and {@link MAX_SCANNED_BYTES} bytes are
 * read; anything unreadable or unexpected answers "needed".
 */
const { readFileSync } = process.getBuiltinModule('node:fs');
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { isBuiltin } = process.getBuiltinModule('node:module');
import { hasCandidateCall } from './transform.js';
import { shouldMark } from './scope.js';

export const MAX_SCANNED_FILES = 64;
export const MAX_SCANNED_BYTES = 4 * 1024 * 1024;

/** The specifiers of a module's static imports and re-exports, and whether it has an `import(`. */
export interface ImportScan {
  specifiers: string[];
  dynamicImport: boolean;
}

/**
 * Static `import … from '…'`, `import '…'`, `export … from '…'`. Text in comments and strings may
 * match too: that only adds files to scan or answers "needed", never the reverse.
 */
const STATIC_IMPORT = /\b(?:from|import)\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/** The imports of one module's source (pure; see {@link STATIC_IMPORT} for what may over-match). */
export function scanImports(source: string): ImportScan {
  const specifiers: string[] = [];
  for (const match of source.matchAll(STATIC_IMPORT)) specifiers.push(match[2]!); // not an optional group
  return { specifiers, dynamicImport: DYNAMIC_IMPORT.test(source) };
}

/** The file a specifier names, `null` for a Node built-in, `undefined` for anything else (a package). */
export function specifierFile(specifier: string, fromFile: string): string | null | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../')) return resolve(dirname(fromFile), specifier);
  if (specifier.startsWith('file:')) return fileURLToPath(specifier);
  if (isAbsolute(specifier)) return specifier;
  if (isBuiltin(specifier)) return null;
  return undefined;
}

/** The module format Node gives `file` by its extension and the nearest package.json. */
export function moduleFormat(file: string): 'module' | 'commonjs' | 'other' {
  const ext = extname(file);
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  if (ext !== '.js') return 'other';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const type = packageType(join(dir, 'package.json'));
    if (type !== undefined) return type === 'module' ? 'module' : 'commonjs';
    if (dirname(dir) === dir) return 'commonjs';
  }
}

function packageType(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === 'string' ? type : '';
  } catch {
    return '';
  }
}

/**
 * True unless the ES module graph reached from `entry` (an ES module) is known, small, and holds
 * no candidate logging call, no dynamic import and no package import.
 */
export function esmGraphNeedsHooks(entry: string): boolean {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  let bytes = 0;
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return true;
    }
    bytes += source.length;
    if (bytes > MAX_SCANNED_BYTES) return true;
    if (shouldMark(file) && hasCandidateCall(source)) return true;
    const { specifiers, dynamicImport } = scanImports(source);
    if (dynamicImport) return true;
    for (const specifier of specifiers) {
      const next = specifierFile(specifier, file);
      if (next === null) continue;
      if (next === undefined) return true;
      if (seen.has(next)) continue;
      if (seen.size >= MAX_SCANNED_FILES) return true;
      seen.add(next);
      queue.push(next);
    }
  }
  return false;
}

/** Node flags that load code of their own before the entry (other loaders, preloads). */
const LOADING_FLAG = /^(?:--import|--loader|--experimental-loader|--require|-r)(?:=|$)/;

/**
 * Whether the ES module hooks must be registered before the entry runs. `entry` is
 * `process.argv[1]`; `flags` are `process.execArgv` and `NODE_OPTIONS`' words (this loader's own
 * `--import` is one of them).
 */
export function moduleHooksNeededAtStart(entry: string | undefined, flags: readonly string[]): boolean {
  if (entry === undefined || !isAbsolute(entry)) return true;
  if (flags.filter((flag) => LOADING_FLAG.test(flag)).length > 1) return true;
  const format = moduleFormat(entry);
  if (format === 'commonjs') return false;
  if (format === 'other') return true;
  return esmGraphNeedsHooks(entry);
}
