/**
 * Reads a pushed configuration off the main thread. A push may be up to the frame limit (1 MiB)
 * of text chosen by a peer; parsing it on the event loop would stop the process's own work (a
 * quadratic INI line once froze a target for 38 s). So the text goes to a worker thread, which
 * checks syntax, sizes and nesting against the push limits; only a document within them comes
 * back, and the main thread's remaining work (building the spec, applying it) is bounded by them.
 *
 * Invariants: small texts are read inline (see {@link INLINE_MAX_CHARS}); one worker at a time,
 * started on the first large push, keeping the process alive only while a read is in progress,
 * and stopped after a minute without pushes; a read that takes longer than
 * {@link READ_DEADLINE_MS} terminates the worker and rejects the push; if no worker can be
 * started the document is read inline, still within the limits.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError, type ConfigErrorDetails } from '../config/errors.js';
import { type PushDocument, readPushDocument } from '../config/push-limits.js';
import { parseDictConfigInSlices } from '../config/dict-config.js';
import { parseFileConfigInSlices } from '../config/file-config.js';
import { checkNoTruncation } from '../config/file-modes.js';
import { parseConfigText, parseDictText } from '../config/load.js';
import type { ConfigSpec } from '../config/spec.js';

/**
 * Texts up to this many characters are read inline: a worker costs tens of milliseconds to start
 * (seconds on a loaded machine, past a client's deadline), and reading a few KiB of INI or JSON
 * costs well under a millisecond whatever it contains. YAML goes inline only up to a quarter of
 * it (the package is slower per item).
 */
export const INLINE_MAX_CHARS = 16 * 1024;

/** Longest a worker may take to read one push before the push is rejected. */
export const READ_DEADLINE_MS = 10_000;
const IDLE_MS = 60_000;

/** A request to the worker. */
export interface PushRequest {
  id: number;
  text: string;
  format: 'ini' | 'json' | 'yaml';
  file: string | undefined;
}

/** The worker's answer. */
export type PushResponse =
  | { id: number; ok: true; document: PushDocument }
  | { id: number; ok: false; error: ConfigErrorDetails & { detail: string } };

type Waiter = { resolve: (document: PushDocument) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/** The worker and the reads waiting on it. */
class PushReader {
  #worker: Worker | null = null;
  #waiting = new Map<number, Waiter>();
  #nextId = 1;
  #idle: NodeJS.Timeout | null = null;

  read(text: string, format: PushRequest['format'], file: string | undefined): Promise<PushDocument> {
    if (text.length <= (format === 'yaml' ? INLINE_MAX_CHARS / 4 : INLINE_MAX_CHARS))
      return Promise.resolve().then(() => readPushDocument(text, format, file));
    const worker = this.#ensureWorker();
    if (!worker) return Promise.resolve().then(() => readPushDocument(text, format, file));
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    const id = this.#nextId++;
    const checked = new Promise<PushDocument>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#stop(
          new ConfigError(`reading the configuration took longer than ${READ_DEADLINE_MS / 1000} s`, {
            file,
            pythonType: 'TimeoutError',
            expected: 'a configuration within the push limits',
          }),
        );
      }, READ_DEADLINE_MS);
      timer.unref();
      this.#waiting.set(id, { resolve, reject, timer });
      // A read in progress keeps the process alive; an idle reader never does.
      worker.ref();
      worker.postMessage({ id, text, format, file } satisfies PushRequest);
    });
    // The worker checked a JSON text and sends no document back (see push-worker.ts): parsed here.
    return format === 'json'
      ? checked.then((document) => ({ ...document, value: parseDictText(text, 'json', file).value }))
      : checked;
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    try {
      const worker = new Worker(new URL('./push-worker.js', import.meta.url));
      worker.on('message', (response: PushResponse) => this.#answer(response));
      // Events of a worker already replaced must not stop its successor.
      worker.on(
        'error',
        (error) =>
          this.#worker === worker &&
          this.#stop(
            new ConfigError(`the configuration could not be read: ${error.message}`, { pythonType: 'RuntimeError' }),
          ),
      );
      worker.on(
        'exit',
        () =>
          this.#worker === worker &&
          this.#stop(
            new ConfigError('the configuration could not be read: its reader stopped', { pythonType: 'RuntimeError' }),
          ),
      );
      // Idle until a read: after the listeners, as adding a 'message' listener refs its port.
      worker.unref();
      this.#worker = worker;
      return worker;
    } catch {
      return null;
    }
  }

  #answer(response: PushResponse): void {
    const waiter = this.#waiting.get(response.id);
    if (!waiter) return;
    this.#waiting.delete(response.id);
    clearTimeout(waiter.timer);
    if (response.ok) waiter.resolve(response.document);
    else waiter.reject(new ConfigError(response.error.detail, response.error));
    if (this.#waiting.size === 0) {
      this.#worker?.unref();
      this.#idle = setTimeout(() => this.#stop(null), IDLE_MS);
      this.#idle.unref();
    }
  }

  /** Stops the worker; waiting reads fail with `error` (none wait when idle). */
  #stop(error: Error | null): void {
    const worker = this.#worker;
    this.#worker = null;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    for (const waiter of this.#waiting.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error ?? new Error('stopped'));
    }
    this.#waiting.clear();
    if (worker) void worker.terminate();
  }
}

const reader = new PushReader();

/** Reads and checks a pushed configuration's text off the main thread; rejects with a located `ConfigError`. */
export function readPush(text: string, format: PushRequest['format'], file: string | undefined): Promise<PushDocument> {
  return reader.read(text, format, file);
}

/**
 * Reads a pushed configuration off the main thread (syntax and push limits), then builds its
 * spec here, where the process's registered classes are known. Rejects with a located `ConfigError`.
 */
export async function readPushedSpec(
  text: string,
  format: PushRequest['format'],
  file: string,
): Promise<{ spec: ConfigSpec; disableExisting: boolean | undefined }> {
  const document = await readPush(text, format, file);
  const spec =
    format !== 'ini'
      ? await parseDictConfigInSlices(document.value, { file, format })
      : text.length === 0
        ? parseConfigText(text, 'ini', { file })
        : { ...(await parseFileConfigInSlices(text, { file })), origin: { text, format } };
  checkNoTruncation(spec);
  return { spec, disableExisting: document.disableExisting };
}
