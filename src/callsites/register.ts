/**
 * `node --import logdial/callsites app.js`: caller fields (`%(module)s`, `%(funcName)s`,
 * `%(lineno)d`, …) without a stack capture on every log call.
 *
 * Marks the logging calls of the application's files as they load (ES modules through Node's
 * module hooks, CommonJS through the `require` extension hook) and installs the global function
 * the marks call. See docs/callsites.md.
 *
 * Perf (start-up, bench/loader-startup.ts): this entry loads neither the logger module nor the
 * parser; before Node 22.15 the hooks thread starts only when an ES module may need it
 * (module-hooks-need.ts).
 */
const { isMainThread } = process.getBuiltinModule('node:worker_threads');
import { installMarkFunctions } from '../core/call-site-marks.js';
import { loadSync } from './hooks.js';
import { CommonJsMarker } from './commonjs.js';
import { moduleHooksNeededAtStart } from './module-hooks-need.js';

installMarkFunctions();

const hookApi = process.getBuiltinModule('node:module') as {
  registerHooks?: (hooks: { load: typeof loadSync }) => unknown;
  register?: (specifier: string, parentURL: string) => void;
};

/** Starts the loader-hooks thread once (Node 20.6+ without `module.registerHooks`). */
class ThreadHooks {
  private started = false;

  start(): void {
    // With in-thread hooks registered there is nothing to start (a second, thread, set of hooks
    // would break `require()` of ES modules).
    if (this.started || inThreadHooks || typeof hookApi.register !== 'function') return;
    this.started = true;
    hookApi.register('./hooks.js', import.meta.url);
  }
}

// In-thread hooks (module.registerHooks, Node 22.15+) where there are: `require()` of an ES module
// (a CommonJS app requiring logdial) fails while loader-thread hooks are registered. Otherwise
// module.register (Node 20.6+); before it, only CommonJS files are marked.
const inThreadHooks = typeof hookApi.registerHooks === 'function';
const threadHooks = new ThreadHooks();
if (inThreadHooks) hookApi.registerHooks?.({ load: loadSync });
else if (!isMainThread || moduleHooksNeededAtStart(process.argv[1], nodeFlags())) threadHooks.start();

new CommonJsMarker(() => threadHooks.start()).install();

function nodeFlags(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
}
