/**
 * Python's `logging.config.listen` semantics for a bare frame on a legacy TCP endpoint: an
 * optional `verify` hook first, then dictConfig JSON, else fileConfig INI (disable_existing_loggers
 * true unless the JSON says otherwise). Python's senders read no reply: a refusal is a log line.
 */
import { errorLine } from './error-line.js';
import { executeCommand } from './operations.js';
import type { ApplyCommand, ControlReply, Requester } from './protocol.js';
import { report } from './report.js';

/** Python's `verify`: the bytes to apply (possibly transformed), or null/undefined to discard them. */
export type VerifyHook = (payload: Buffer) => Buffer | string | null | undefined;

/** A bare frame as the verify hook left it: its text and, when it is a JSON object, that object. */
export interface LegacyPayload {
  text: string;
  object: Record<string, unknown> | null;
}

/**
 * What the verify hook makes of `frame` (pure but for the hook): null to discard it, else the
 * payload to apply, re-read when the hook transformed it.
 */
export function verifiedPayload(
  frame: Buffer,
  decoded: LegacyPayload,
  verify: VerifyHook | undefined,
): LegacyPayload | null {
  if (!verify) return decoded;
  const verified = verify(frame);
  if (verified === null || verified === undefined) return null;
  if (verified === frame) return decoded;
  const text = typeof verified === 'string' ? verified : verified.toString('utf8');
  return { text, object: jsonObject(text) };
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The commands a legacy payload is tried as, in order: JSON (when it is an object), then INI. */
export function legacyCommands(payload: LegacyPayload, address: string): ApplyCommand[] {
  const source = `legacy frame from ${address}`;
  const commands: ApplyCommand[] = [];
  if (payload.object) {
    const disable = payload.object['disable_existing_loggers'];
    const disableExisting = disable === undefined ? true : Boolean(disable);
    commands.push({ op: 'apply', config: payload.text, format: 'json', source, disableExisting });
  }
  commands.push({ op: 'apply', config: payload.text, format: 'ini', source, disableExisting: true });
  return commands;
}

/** Applies a bare frame with Python's semantics; problems are reported, never thrown. */
export async function applyLegacy(
  frame: Buffer,
  decoded: LegacyPayload,
  address: string,
  verify: VerifyHook | undefined,
): Promise<void> {
  let payload: LegacyPayload | null;
  try {
    payload = verifiedPayload(frame, decoded, verify);
  } catch (error) {
    report(`verify hook failed for a frame from ${address}`, error);
    return;
  }
  if (!payload) return;
  const requester: Requester = { via: 'legacy', address };
  let first: ControlReply | null = null;
  for (const cmd of legacyCommands(payload, address)) {
    const reply = await executeCommand(cmd, requester);
    if (reply.ok) return;
    first ??= reply;
  }
  // The JSON error says more when the payload was JSON; INI's otherwise.
  report(`rejected a config from ${address}: ${first?.error ? errorLine(first.error) : 'unknown error'}`);
}
