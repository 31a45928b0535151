/**
 * The worker thread that reads pushed configurations (see `push-reader.ts`): syntax, sizes and
 * nesting are checked here, so a large or hostile push costs this thread's time, never the
 * event loop of the process being tuned.
 */
import { parentPort } from 'node:worker_threads';
import { ConfigError } from '../config/errors.js';
import { readPushDocument } from '../config/push-limits.js';
import type { PushRequest, PushResponse } from './push-reader.js';

/*
 * On a machine with few cores, a long parse here and its garbage collection can take every core
 * and leave the event loop waiting for one. Linux keeps a nice value per thread: this thread's
 * (its id from /proc/thread-self) is lowered so the process's own threads run first. Elsewhere,
 * or when not allowed, it stays as it is.
 */
function yieldToTheEventLoop(): void {
  try {
    const { readlinkSync } = process.getBuiltinModule('node:fs');
    const { setPriority } = process.getBuiltinModule('node:os');
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // no /proc, or not permitted: the thread keeps the process's priority
  }
}
yieldToTheEventLoop();

parentPort?.on('message', (request: PushRequest) => {
  let response: PushResponse;
  try {
    const document = readPushDocument(request.text, request.format, request.file);
    // A JSON document is parsed again where it is applied: JSON.parse there costs a tenth of
    // decoding the document from a message (which the event loop would do in one piece).
    const sent = request.format === 'json' ? { disableExisting: document.disableExisting } : document;
    response = { id: request.id, ok: true, document: sent };
  } catch (error) {
    const e =
      error instanceof ConfigError
        ? error
        : new ConfigError(`cannot parse the configuration: ${(error as Error).message}`, {
            file: request.file,
            pythonType: 'RecursionError',
          });
    response = {
      id: request.id,
      ok: false,
      error: {
        detail: e.detail,
        file: e.file,
        line: e.line,
        path: e.path,
        expected: e.expected,
        pythonType: e.pythonType,
      },
    };
  }
  parentPort!.postMessage(response);
});
