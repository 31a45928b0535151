/**
 * One process rotates a given file. Rotation renames the file under every other writer: their
 * size counts go stale, they rotate files others just started, and backups fall off the end (4
 * processes sharing one RotatingFileHandler lost 1 line in 8). So a rotating handler claims its
 * file when it is constructed, with `<file>.rotation` holding its pid, and a second process that
 * asks for the same file is refused at configuration time with the safe setups named. Handlers
 * of one process share the claim (a reconfiguration builds the new handler before closing the
 * old one); it is released when the last one closes and at exit; a claim whose pid is dead is
 * taken over.
 *
 * Invariant: the claim file is created whole (written aside, then linked into place, which fails
 * if it exists), so a reader never sees it empty.
 */
const { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } = process.getBuiltinModule('node:fs');

/** Why a second process may not rotate the file, and what to do instead. */
export class RotationClaimedError extends Error {
  override name = 'RotationClaimedError';
  constructor(
    readonly path: string,
    readonly owner: number,
  ) {
    super(
      `${path} is already rotated by process ${owner}: several processes must not rotate one file (lines would be lost). ` +
        'Give each process its own file (cluster: one per worker), or let all processes append to one file with ' +
        'FileHandler or WatchedFileHandler and rotate it outside (logrotate, pm2-logrotate); see docs/operations.md',
    );
  }
}

const held = new Map<string, number>();
let exitHooked = false;

/** The claim file of a log file. */
export function claimPath(path: string): string {
  return `${path}.rotation`;
}

/** Claims the rotation of `path` for this process; throws {@link RotationClaimedError} if a live process holds it. */
export function claimRotation(path: string): void {
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return;
  }
  const claim = claimPath(path);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(claim)) {
      held.set(path, 1);
      hookExit();
      return;
    }
    const owner = ownerOf(claim);
    if (owner === process.pid) {
      held.set(path, 1);
      hookExit();
      return;
    }
    if (owner !== undefined && isAlive(owner)) throw new RotationClaimedError(path, owner);
    removeQuietly(claim); // a dead owner's claim
  }
  throw new RotationClaimedError(path, ownerOf(claim) ?? 0);
}

/** Releases one handler's share of the claim; the file goes when the last share does. */
export function releaseRotation(path: string): void {
  const count = held.get(path);
  if (count === undefined) return;
  if (count > 1) {
    held.set(path, count - 1);
    return;
  }
  held.delete(path);
  if (ownerOf(claimPath(path)) === process.pid) removeQuietly(claimPath(path));
}

function tryCreate(claim: string): boolean {
  const aside = `${claim}.${process.pid}`;
  let fd: number;
  try {
    fd = openSync(aside, 'w', 0o644);
  } catch {
    // The directory is missing or not writable: opening the log itself reports that.
    return true;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, claim);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true;
    return false;
  } finally {
    removeQuietly(aside);
  }
}

function ownerOf(claim: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(claim, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const path of held.keys()) if (ownerOf(claimPath(path)) === process.pid) removeQuietly(claimPath(path));
    held.clear();
  });
}
