/**
 * Python's `WatchedFileHandler`: reopens the file when it was moved or deleted (logrotate
 * without `copytruncate`), detected by comparing the path's (dev, ino) with the open file's.
 */
const { fstatSync, statSync } = process.getBuiltinModule('node:fs');
import { FileHandler, type FileHandlerOptions } from './file.js';
import type { FdSink } from './sink.js';

/**
 * A file handler that follows its path. Python stats the path before every record; we stat it
 * once per flush of the buffer instead (at most once per event-loop turn with logging), right
 * before the buffered lines are written: lines logged after a rotation reach the new file, none
 * is lost, and a busy loop costs no extra syscalls.
 */
export class WatchedFileHandler extends FileHandler {
  /** Device and inode of the open file (-1 when none), as Python's `dev`/`ino`. */
  dev = -1;
  ino = -1;

  constructor(filename: string, options: FileHandlerOptions = {}) {
    super(filename, options);
  }

  protected override opened(fd: number): void {
    const stat = fstatSync(fd);
    this.dev = stat.dev;
    this.ino = stat.ino;
  }

  protected override open(): FdSink {
    const sink = super.open();
    sink.beforeWrite = () => this.reopenIfNeeded(sink);
    return sink;
  }

  /**
   * Python's `reopenIfNeeded`: if the path is gone or names another file, open it again; the
   * buffered lines are then written to the new file.
   */
  reopenIfNeeded(sink: FdSink | null = this.fileSink): void {
    if (!sink || sink.closed) return;
    try {
      const stat = statSync(this.baseFilename);
      if (stat.dev === this.dev && stat.ino === this.ino) return;
    } catch {
      // Gone: reopen (creates it).
    }
    let fd: number;
    try {
      fd = this.openFd();
    } catch (error) {
      // Cannot reopen (directory gone, permissions): keep the old file, report once.
      this.handleError(null, error);
      return;
    }
    sink.swapFd(fd);
    this.opened(fd);
  }
}
