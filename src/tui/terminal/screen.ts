/**
 * The terminal while the console owns it: the alternate screen (the
 * operator's scrollback is never touched), the cursor hidden, no autowrap,
 * bracketed paste, mouse wheel reporting, raw keys — and all of it undone
 * exactly once, however the console ends. Ink draws into `frames`, a stand-in
 * stdout: each write is one whole frame (Ink's debug mode), drawn here row by
 * row with absolute moves and only where it changed.
 */
import { EventEmitter } from 'node:events';
import { frameLines, frameUpdate } from './frame-diff.js';

const CSI = '\u001b[';
/** Alternate screen, cursor hidden, autowrap off (an over-long row is clipped, never wrapped onto the next), bracketed paste. */
const ENTER = `${CSI}?1049h${CSI}?25l${CSI}?7l${CSI}?2004h`;
/** Wheel reports: button events (1000) in SGR encoding (1006). Clicks are reported too and ignored. */
const MOUSE_ON = `${CSI}?1000h${CSI}?1006h`;
const MOUSE_OFF = `${CSI}?1006l${CSI}?1000l`;
const LEAVE = `${CSI}0m${MOUSE_OFF}${CSI}?2004l${CSI}?7h${CSI}?25h${CSI}?1049l`;

/** The terminal's output as the screen uses it (process.stdout). */
export interface TerminalOutput {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(data: string): boolean;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/** The terminal's input as the screen uses it (process.stdin). */
export interface TerminalInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What the rest of the console may ask of the terminal. */
export interface TerminalControl {
  /** Give the terminal to another program (a pager) while `run` runs, then take it back and redraw. */
  runOutside<T>(run: () => T | Promise<T>): Promise<T>;
}

/**
 * What Ink writes to: the size and resizes of the real terminal, and every
 * write taken as a whole frame. Two writes that are not frames are known: the
 * bell (passed through) and the cursor show Ink writes when it unmounts
 * (ignored: the cursor is the screen's).
 */
export class FrameStream extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  private shown: string[] | undefined;
  private latest: string[] = [];
  private drawing = true;

  constructor(private readonly out: { write(data: string): boolean }, size: { columns: number; rows: number }) {
    super();
    this.columns = size.columns;
    this.rows = size.rows;
  }

  write(data: string | Uint8Array, encodingOrCallback?: unknown, callback?: () => void): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const done = typeof encodingOrCallback === 'function' ? (encodingOrCallback as () => void) : callback;
    if (text === '\u0007') {
      if (this.drawing) this.out.write(text);
    } else if (text !== '' && text !== `${CSI}?25h`) {
      this.latest = frameLines(text);
      this.draw();
    }
    done?.();
    return true;
  }

  /** The terminal changed size: what is on screen is unknown until the next frame. */
  resized(size: { columns: number; rows: number }): void {
    this.columns = size.columns;
    this.rows = size.rows;
    this.shown = undefined;
    this.emit('resize');
  }

  /** Stop drawing (the terminal is someone else's, or restored). */
  hold(): void {
    this.drawing = false;
  }

  /** Draw again, the whole last frame. */
  redraw(): void {
    this.drawing = true;
    this.shown = undefined;
    this.draw();
  }

  private draw(): void {
    if (!this.drawing) return;
    const update = frameUpdate(this.shown, this.latest, this.rows);
    this.shown = this.latest.length > this.rows ? this.latest.slice(0, this.rows) : this.latest;
    if (update) this.out.write(update);
  }
}

/** The terminal as the console holds it. */
export class TerminalScreen implements TerminalControl {
  readonly frames: FrameStream;
  private entered = false;
  private readonly onResize = () => this.frames.resized(this.size());

  constructor(
    private readonly output: TerminalOutput,
    private readonly input: TerminalInput,
    private readonly options: { mouse: boolean },
  ) {
    this.frames = new FrameStream(output, this.size());
  }

  /** Take the terminal: alternate screen and modes, raw keys, resizes followed. */
  enter(): void {
    if (this.entered) return;
    this.entered = true;
    this.output.on('resize', this.onResize);
    this.takeModes();
  }

  /** Give the terminal back as it was; safe to call on any exit path, any number of times. */
  restore(): void {
    if (!this.entered) return;
    this.entered = false;
    this.frames.hold();
    this.output.off('resize', this.onResize);
    this.releaseModes();
  }

  /**
   * Stopped by job control (SIGTSTP, e.g. `kill -TSTP`): give the terminal back before stopping, as
   * the shell takes it; `continued` takes it again when the shell resumes the console (SIGCONT).
   */
  stopped(): void {
    if (!this.entered) return;
    this.frames.hold();
    this.releaseModes();
  }

  continued(): void {
    if (!this.entered) return;
    this.takeModes();
    this.frames.resized(this.size());
    this.frames.redraw();
  }

  async runOutside<T>(run: () => T | Promise<T>): Promise<T> {
    if (!this.entered) return run();
    this.frames.hold();
    this.releaseModes();
    this.input.pause(); // the other program reads the keys meanwhile
    try {
      return await run();
    } finally {
      if (this.entered) {
        this.takeModes();
        this.input.resume();
        this.frames.resized(this.size()); // it may have changed meanwhile
        this.frames.redraw();
      }
    }
  }

  private takeModes(): void {
    if (this.input.isTTY) safely(() => this.input.setRawMode?.(true));
    if (this.output.isTTY) safely(() => this.output.write(ENTER + (this.options.mouse ? MOUSE_ON : '')));
  }

  private releaseModes(): void {
    // The terminal may be gone (SIGHUP after the link dropped): restoring is then best effort.
    if (this.output.isTTY) safely(() => this.output.write(LEAVE));
    if (this.input.isTTY) safely(() => this.input.setRawMode?.(false));
  }

  private size(): { columns: number; rows: number } {
    return { columns: this.output.columns || 80, rows: this.output.rows || 24 };
  }
}

function safely(run: () => unknown): void {
  try {
    run();
  } catch {
    // best effort: see releaseModes
  }
}
