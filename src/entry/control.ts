/**
 * The control plane as `import 'logdial'` sees it. Nothing of `src/control/` loads at import
 * unless the environment may ask for an endpoint (`LOGDIAL_LISTEN`, `LOGDIAL_BUS`) or this is a
 * worker thread (it follows its main thread's configuration before its first line). Otherwise it
 * loads at the first call of `listen`, `listenFromEnv` or `executeCommand`, or when the config
 * layer first loads (the main thread shares configurations applied in code with worker threads).
 * `control/autostart.ts` is loaded synchronously (require of an ES module: the same instance
 * `import` gives). Never throws at import: logging must work even if this fails.
 */
const { createRequire } = process.getBuiltinModule('node:module');
const { isMainThread } = process.getBuiltinModule('node:worker_threads');

type Autostart = typeof import('../control/autostart.js');

const requireModule = createRequire(import.meta.url);
let autostart: Autostart | undefined;

function control(): Autostart {
  return (autostart ??= requireModule('../control/autostart.js') as Autostart);
}

/** Starts what the environment asks for (called once, from the library's entry point). */
export function startControlAtImport(env: NodeJS.ProcessEnv = process.env): void {
  // A cheap look first: listen-env.ts decides, once one of them is set at all.
  if (isMainThread && !env['LOGDIAL_LISTEN'] && !env['LOGDIAL_BUS']) return;
  try {
    control().startControlFromEnv();
  } catch (error) {
    reportNotStarted(error);
  }
}

/** Main thread: from now on, configurations applied in code reach worker threads. Never throws. */
export function shareConfigWithThreads(): void {
  if (!isMainThread) return;
  try {
    control().shareConfigWithThreads();
  } catch (error) {
    reportNotStarted(error);
  }
}

/** Starts the control endpoint (see `control/listen.ts`); `await handle.ready` for it to be bound. */
export const listen: Autostart['listen'] = (options) => control().listen(options);

/** `LOGDIAL_LISTEN=1` (or `LOGDIAL_BUS`): starts {@link listen} with the environment's options, or null. */
export const listenFromEnv: Autostart['listenFromEnv'] = (env) => control().listenFromEnv(env);

/** Carries out a control command in this process (see `control/operations.ts`). */
export const executeCommand: Autostart['executeCommand'] = (cmd, requester) => control().executeCommand(cmd, requester);

function reportNotStarted(error: unknown): void {
  try {
    process.stderr.write(
      `logdial: control plane not started: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  } catch {
    // nothing left to report to
  }
}
