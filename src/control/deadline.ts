/**
 * A command's deadline: the sender's "I stop waiting at". A process whose event loop was blocked
 * reads a command only when it runs again; carried out then, the change would land after the
 * sender reported NO ANSWER, and nobody would know it happened. So a command that carries a
 * deadline is rejected when it is read too late. Commands without one (older senders, Python's
 * frames) are carried out as before.
 *
 * The deadline is milliseconds since the epoch on the receiver's clock: the same clock on a Unix
 * socket; on TCP the sender translates it with the clock the greeting reported (`Hello.now`).
 */

/** Why a command read at `now` must not be carried out, or null when it may be. */
export function lateCommand(deadline: unknown, now: number): string | null {
  if (deadline === undefined || deadline === null) return null;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline))
    return `deadline must be a number of milliseconds since the epoch, got ${JSON.stringify(deadline)}; not carried out`;
  if (now <= deadline) return null;
  return `arrived ${Math.round(now - deadline)} ms after its sender's deadline (the process was busy; the sender has stopped waiting); not carried out, send it again`;
}

/**
 * The deadline a sender puts on a command it waits for until `replyDeadline` (its own clock):
 * a little earlier, so that a command started just in time can still answer in time. `skew` is
 * the receiver's clock minus the sender's (0 on the same host).
 */
export function commandDeadline(replyDeadline: number, now: number, skew = 0): number {
  const wait = Math.max(0, replyDeadline - now);
  return Math.round(replyDeadline - Math.min(250, wait / 10) + skew);
}
