import type { ReplyError } from './protocol.js';

/** One line for a reply error: the location is prefixed unless the message already starts with it. */
export function errorLine(error: ReplyError): string {
  return error.location && !error.message.startsWith(error.location)
    ? `${error.location}: ${error.message}`
    : error.message;
}
