/**
 * A real terminal for tests: a tmux server of its own (unique socket, killed when the test ends)
 * running one command in a window of a fixed size; keys are sent as a user types them and the
 * screen is read back as the user sees it. Waits poll the screen; they never sleep a fixed time.
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

let counter = 0;

/** Single-quotes a string for /bin/sh. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export class Terminal {
  private readonly socket = `logdial-test-${process.pid}-${++counter}`;

  /**
   * Starts `command` (a shell command line) in a `width`×`height` terminal. The shell prints
   * `BEFORE` first and `EXIT=<code>` after the command, then stays, so the screen after exit can be
   * checked.
   */
  constructor(t: Pick<TestContext, 'after'>, command: string, env: NodeJS.ProcessEnv, width = 120, height = 30) {
    t.after(() => this.tmux('kill-server'));
    const script = `echo BEFORE; ${command}; echo "EXIT=$?"; sleep 600`;
    const started = spawnSync(
      'tmux',
      [
        '-L',
        this.socket,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-x',
        String(width),
        '-y',
        String(height),
        'sh',
        '-c',
        script,
      ],
      { env: { ...env, TERM: 'xterm-256color' }, encoding: 'utf8' },
    );
    if (started.status !== 0) throw new Error(`tmux did not start: ${started.stderr}`);
  }

  private tmux(...args: string[]): string {
    return spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' }).stdout ?? '';
  }

  /** Types text literally (each character a key; several arrive in one read, like a paste). */
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }

  /** Presses named keys (`Enter`, `Escape`, `PPage`, `Up`, `C-c`). */
  press(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-x', String(width), '-y', String(height));
  }

  /** The screen as text, one string per row. */
  screen(): string[] {
    return this.tmux('capture-pane', '-p').split('\n');
  }

  /** The screen with its colours as escape sequences (`capture-pane -e`). */
  tmuxScreenWithColours(): string[] {
    return this.tmux('capture-pane', '-p', '-e').split('\n');
  }

  /** Polls the screen until `check` holds; rejects with the last screen after `timeoutMs`. */
  async waitFor(check: (rows: string[]) => boolean, what: string, timeoutMs = 20000): Promise<string[]> {
    const end = Date.now() + timeoutMs;
    let rows = this.screen();
    while (!check(rows)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${rows.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
      rows = this.screen();
    }
    return rows;
  }

  /** Waits until the screen shows text matching `pattern`. */
  waitForText(pattern: RegExp | string, timeoutMs?: number): Promise<string[]> {
    const test = (rows: string[]) =>
      typeof pattern === 'string' ? rows.join('\n').includes(pattern) : pattern.test(rows.join('\n'));
    return this.waitFor(test, String(pattern), timeoutMs);
  }

  /** Waits for the command to end; returns its exit code and the screen left behind. */
  async exited(timeoutMs = 20000): Promise<{ code: number; rows: string[] }> {
    const rows = await this.waitForText(/EXIT=\d+/, timeoutMs);
    return { code: Number(/EXIT=(\d+)/.exec(rows.join('\n'))![1]), rows };
  }
}
