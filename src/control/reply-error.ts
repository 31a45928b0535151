/** An error as a reply carries it: the config layer's located errors keep their location. */
import { ConfigError } from '../config/errors.js';
import type { ReplyError } from './protocol.js';

/** The full message (it starts with the location) and the location, when the error has one. */
export function describeError(error: unknown): ReplyError {
  if (error instanceof ConfigError) {
    const location = error.location;
    return location ? { message: error.message, location } : { message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
