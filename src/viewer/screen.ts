/**
 * The full-screen view: lines above, one status line at the bottom, in the terminal's alternate
 * buffer (the shell's screen comes back untouched at exit). The position is anchored to a line,
 * not to the end: while scrolled back or paused, arriving lines never move what is shown.
 * Redraws are coalesced (lines: at most every 50 ms; keys: at once), and nothing is drawn after
 * `close()`.
 */
import type { LineStore, StoredLine } from './line-store.js';
import { fitWidth, lineRows, lineText, type Marks, wrapWords } from './render.js';

/** What the screen asks its owner for each frame. */
export interface ScreenModel {
  store: LineStore;
  marks(): Marks;
  tag(line: StoredLine): string;
  status(): string;
  /** Rows of the prompt being typed, or null. */
  prompt(): string | null;
  help(): string[];
  /** Rows of the analytics panel (above the status line); empty when it is closed. */
  panel(): string[];
}

export class Screen {
  /** Following the newest lines; otherwise `anchor` (a sequence number) is the top line. */
  following = true;
  paused = false;
  wrap = false;
  skipColumns = 0;
  showHelp = false;
  private anchor = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly onResize = () => this.refresh(true);

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly model: ScreenModel,
  ) {}

  open(): void {
    this.out.write('\x1b[?1049h\x1b[?25l\x1b[2J');
    this.out.on('resize', this.onResize);
    this.draw();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.out.off('resize', this.onResize);
    this.out.write('\x1b[0m\x1b[?25h\x1b[?1049l');
  }

  /** Schedules a redraw: `soon` for a key (next turn), else within 50 ms (bursts of lines). */
  refresh(soon = false): void {
    if (this.closed) return;
    if (this.timer && !soon) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.draw();
      },
      soon ? 0 : 50,
    );
  }

  rows(): number {
    return Math.max(2, this.out.rows || 24);
  }

  columns(): number {
    return Math.max(10, this.out.columns || 80);
  }

  private bodyRows(): number {
    return Math.max(1, this.rows() - 1 - this.panelRows.length);
  }

  /** The panel's rows for the frame being drawn (read once per frame). */
  private panelRows: string[] = [];

  /** Index (among shown lines) of the top line. */
  topIndex(): number {
    const count = this.model.store.shownCount;
    const lastPage = Math.max(0, count - this.bodyRows());
    if (this.following) return lastPage;
    return Math.min(this.model.store.shownIndexOf(this.anchor), lastPage);
  }

  /** Moves the top by `lines` (negative: back in time); reaching the end follows again. */
  scroll(lines: number): void {
    const count = this.model.store.shownCount;
    const lastPage = Math.max(0, count - this.bodyRows());
    const top = Math.max(0, Math.min(lastPage, this.topIndex() + lines));
    this.setTop(top, top >= lastPage && !this.paused);
  }

  page(pages: number): void {
    this.scroll(pages * Math.max(1, this.bodyRows() - 1));
  }

  /** Shows from this index on (`follow`: back to the newest lines). */
  setTop(index: number, follow = false): void {
    this.following = follow;
    if (!follow) this.anchor = this.model.store.shownAt(index)?.seq ?? 0;
    this.refresh(true);
  }

  home(): void {
    this.setTop(0);
  }

  end(): void {
    this.paused = false;
    this.setTop(0, true);
  }

  togglePause(): void {
    if (this.paused) return this.end();
    const top = this.topIndex();
    this.paused = true;
    this.setTop(top);
  }

  /** What the status line says about the position. */
  position(): string {
    if (this.following) return this.paused ? 'PAUSED' : '';
    const top = this.topIndex();
    return `${this.paused ? 'PAUSED ' : ''}line ${top + 1}/${this.model.store.shownCount}`;
  }

  private draw(): void {
    if (this.closed) return;
    const cols = this.columns();
    this.panelRows = this.model.panel().slice(0, Math.max(0, this.rows() - 2));
    const body = this.showHelp ? this.helpRows(cols) : this.bodyLines(cols);
    let frame = '\x1b[H';
    for (let i = 0; i < this.bodyRows(); i++) frame += (body[i] ?? '') + '\x1b[0m\x1b[K\r\n';
    for (const row of this.panelRows) frame += '\x1b[2m│\x1b[0m' + fitWidth(row, cols - 1) + '\x1b[0m\x1b[K\r\n';
    const prompt = this.model.prompt();
    frame +=
      prompt !== null
        ? fitWidth(prompt, cols) + '\x1b[0m\x1b[K'
        : '\x1b[7m' + fitWidth(this.model.status(), cols) + '\x1b[0m';
    this.out.write(frame);
  }

  private helpRows(cols: number): string[] {
    const rows: string[] = [];
    for (const section of this.model.help()) {
      // An item wider than the terminal is wrapped by columns, so no row ever wraps by itself.
      for (const row of wrapWords(section.split('  |  '), cols))
        rows.push(...lineRows('', row, cols, 0, true, this.bodyRows()));
      rows.push('');
    }
    return rows;
  }

  /** The rows of the visible lines, the newest at the bottom when following. */
  private bodyLines(cols: number): string[] {
    const store = this.model.store;
    const marks = this.model.marks();
    const height = this.bodyRows();
    const rowsOf = (line: StoredLine) =>
      lineRows(this.model.tag(line), lineText(line, marks), cols, this.skipColumns, this.wrap, height);
    if (!this.wrap || !this.following) {
      const rows: string[] = [];
      for (let i = this.topIndex(); rows.length < height && i < store.shownCount; i++)
        rows.push(...rowsOf(store.shownAt(i)!));
      return rows.slice(0, height);
    }
    let rows: string[] = [];
    for (let i = store.shownCount - 1; rows.length < height && i >= 0; i--)
      rows = [...rowsOf(store.shownAt(i)!), ...rows];
    return rows.slice(-height);
  }
}
