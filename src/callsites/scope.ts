/**
 * Which files `logdial/callsites` marks, the site numbers each loader hands out, and the marker
 * itself, loaded with the first file to mark (the disk cache, the transform and `node:crypto`
 * are not part of a start that marks nothing).
 */
import { hasCandidateCall, type TransformOptions, type TransformResult } from './transform.js';

type CacheModule = typeof import('./cache.js');

/** Set to `1` to mark calls in `node_modules` too (libraries that log through logdial). */
export const NODE_MODULES_ENV = 'LOGDIAL_CALLSITES_NODE_MODULES';

/** True when a file (path or `file:` URL) should be marked. */
export function shouldMark(location: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[NODE_MODULES_ENV] === '1') return true;
  return !/[\\/]node_modules[\\/]/.test(location);
}

/**
 * ES modules are marked in Node's loader-hooks thread and CommonJS files in the main thread, each
 * with its own counter: the two ranges keep their site numbers apart.
 */
export const ESM_FIRST_SITE = 1;
export const CJS_FIRST_SITE = 1 << 21;

let cacheModule: CacheModule | undefined;
let loadingMarker = false;

/**
 * `source` marked (cache.ts), or null when it has no candidate call or while the marker's own
 * modules load (in-thread hooks see them pass too; they are left as they are).
 */
export function markOnDemand(source: string, options: TransformOptions): TransformResult | null {
  if (!hasCandidateCall(source)) return null;
  if (cacheModule === undefined) {
    if (loadingMarker) return null;
    loadingMarker = true;
    try {
      const { createRequire } = process.getBuiltinModule('node:module');
      cacheModule = createRequire(import.meta.url)('./cache.js') as CacheModule;
    } finally {
      loadingMarker = false;
    }
  }
  return cacheModule.markWithCache(source, options);
}
