/**
 * `node --import logdial/callsites app.js`: caller fields (`%(module)s`, `%(funcName)s`,
 * `%(lineno)d`, …) without a stack capture on every log call.
 *
 * Marks the logging calls of the application's files as they load (ES modules through Node's
 * module hooks, CommonJS through the `require` extension hook) and installs the global function
 * the marks call. See docs/callsites.md.
 */
import * as nodeModule from 'node:module';
import { addHook } from 'pirates';
import { installMarkFunctions } from '../core/call-site-marks.js';
import { Logger } from '../core/logger.js';
import { loadSync } from './hooks.js';
import { markCallSites } from './transform.js';
import { CJS_FIRST_SITE, shouldMark } from './scope.js';

// Perf: the private-name test itself, not a wrapper (a wrapper costs ~8 ns per marked call).
installMarkFunctions(Logger.markIdOf);

// In-thread hooks (module.registerHooks, Node 22.15+) where there are: `require()` of an ES module
// (a CommonJS app requiring logdial) fails while loader-thread hooks are registered. Otherwise
// module.register (Node 20.6+); before it, only CommonJS files are marked.
const hookApi = nodeModule as {
  registerHooks?: (hooks: { load: typeof loadSync }) => unknown;
  register?: (specifier: string, parentURL: string) => void;
};
if (typeof hookApi.registerHooks === 'function') hookApi.registerHooks({ load: loadSync });
else if (typeof hookApi.register === 'function') hookApi.register('./hooks.js', import.meta.url);

let nextCjsSite = CJS_FIRST_SITE;
addHook(
  (code) => {
    const marked = markCallSites(code, { sourceType: 'script', firstSite: nextCjsSite });
    nextCjsSite += marked.sites;
    return marked.code;
  },
  { exts: ['.js', '.cjs'], ignoreNodeModules: false, matcher: (filename) => shouldMark(filename) },
);
