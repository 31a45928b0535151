/**
 * Which files `logdial/callsites` marks, and the site numbers each loader hands out.
 */

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
