/**
 * What was typed at the viewer's prompts, kept across runs in the user's XDG state directory
 * (`$XDG_STATE_HOME/logdial/view-history.json`, else `~/.local/state/logdial/…`). Bounded per
 * prompt; an unreadable or malformed file is ignored (history is a convenience, never an error).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Most entries kept per prompt. */
export const HISTORY_LIMIT = 200;

/** The history file's path for this environment. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(state, 'logdial', 'view-history.json');
}

export class PromptHistory {
  private entries: Record<string, string[]> = {};

  constructor(private readonly path: string | null) {
    if (!path) return;
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (parsed && typeof parsed === 'object') {
        for (const [kind, list] of Object.entries(parsed)) {
          if (Array.isArray(list))
            this.entries[kind] = list.filter((e): e is string => typeof e === 'string').slice(-HISTORY_LIMIT);
        }
      }
    } catch {
      // No history yet, or a file we cannot use.
    }
  }

  /** Entries of one prompt, oldest first. */
  list(kind: string): readonly string[] {
    return this.entries[kind] ?? [];
  }

  /** The prompts with entries, and their entries (oldest first). */
  all(): Array<[string, readonly string[]]> {
    return Object.entries(this.entries).filter(([, list]) => list.length > 0);
  }

  /** Forgets every entry (the file too). */
  clear(): void {
    this.entries = {};
    this.save();
  }

  /** Records an entry (moved to the end if it was there) and saves. */
  add(kind: string, entry: string): void {
    if (!entry) return;
    const list = (this.entries[kind] ?? []).filter((e) => e !== entry);
    list.push(entry);
    this.entries[kind] = list.slice(-HISTORY_LIMIT);
    this.save();
  }

  private save(): void {
    if (!this.path) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const temp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(this.entries), { mode: 0o600 });
      renameSync(temp, this.path);
    } catch {
      // A read-only home must not stop the viewer.
    }
  }
}

/** A one-line editor for a prompt, with Up/Down through that prompt's history. */
export class LineEditor {
  text = '';
  private back = 0;

  constructor(
    readonly kind: string,
    readonly label: string,
    private readonly history: PromptHistory,
  ) {}

  /** Handles a key; returns 'submit', 'cancel', or null to keep editing. */
  key(name: string): 'submit' | 'cancel' | null {
    if (name === 'enter') return 'submit';
    if (name === 'escape' || name === 'ctrl-c') return 'cancel';
    if (name === 'backspace') this.text = [...this.text].slice(0, -1).join('');
    else if (name === 'ctrl-u') this.text = '';
    else if (name === 'up' || name === 'down') this.recall(name === 'up' ? 1 : -1);
    else if (name.length > 0 && !name.startsWith('\x1b') && [...name].length === 1 && name >= ' ') this.text += name;
    return null;
  }

  private recall(step: number): void {
    const list = this.history.list(this.kind);
    this.back = Math.max(0, Math.min(list.length, this.back + step));
    this.text = this.back === 0 ? '' : (list[list.length - this.back] ?? ''); // back <= list.length
  }
}
