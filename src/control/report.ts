/** Problems of the control endpoint go to the `logdial` logger (stderr by default), never thrown into the application. */
import { getLogger } from '../core/logger.js';
import { shown } from './escape.js';

/** One line on the `logdial` logger; peer text in it (addresses, config errors) is shown escaped and redacted. */
export function report(message: string, error?: unknown): void {
  const detail = error === undefined ? '' : shown(`: ${describe(error)}`);
  message = shown(message);
  try {
    getLogger('logdial').error('logdial control: %s%s', message, detail);
  } catch {
    try {
      process.stderr.write(`logdial control: ${message}${detail}\n`);
    } catch {
      // nowhere left to report
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error !== 'object' || error === null) return String(error);
  try {
    return JSON.stringify(error);
  } catch {
    return 'an error that cannot be shown';
  }
}
