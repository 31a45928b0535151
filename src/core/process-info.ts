/**
 * Process and thread identity shown in records (`processName`, `threadName`), as Python names them.
 */
const { isMainThread, threadId } = process.getBuiltinModule('node:worker_threads');

function initialProcessName(): string {
  const fromEnv = process.env['LOGDIAL_PROCESS_NAME'];
  if (fromEnv) return fromEnv;
  // A cluster worker has an IPC channel (Node loaded its cluster module at start): without one,
  // `cluster` (which loads child_process, net and dgram) is not worth loading.
  if (!process.channel) return 'MainProcess';
  const cluster = process.getBuiltinModule('node:cluster') as unknown as import('node:cluster').Cluster;
  if (cluster.isWorker && cluster.worker) return `Worker #${cluster.worker.id}`;
  return 'MainProcess';
}

let processName = initialProcessName();
let threadName = isMainThread ? 'MainThread' : `Thread-${threadId}`;

/** The name records carry in `processName`: `MainProcess`, `LOGDIAL_PROCESS_NAME`, or `Worker #N` in a cluster worker. */
export function getProcessName(): string {
  return processName;
}

/** Sets the name records carry in `processName` (Python's `multiprocessing.current_process().name`). */
export function setProcessName(name: string): void {
  processName = name;
}

/** The name records carry in `threadName`: `MainThread`, or `Thread-<id>` in a worker thread. */
export function getThreadName(): string {
  return threadName;
}

/** Sets the name records of this thread carry in `threadName`. */
export function setThreadName(name: string): void {
  threadName = name;
}

export { threadId };
