/**
 * What claude's login prints, read as a person would: the bytes of its
 * pseudo-terminal in, the sign-in address, the prompt it waits on and its
 * last lines out. Escape sequences are dropped (a hyperlink's address is
 * kept: it is never wrapped), lines are split on any line end, repeats of a
 * redrawn line are kept once, and every code the operator pasted is blotted
 * out. Pure; bounded by line count and length.
 */
import { LOGIN_OUTPUT_LINES } from '../../protocol/index.js';

/** Longest line kept (claude's lines are short; a longer one is cut). */
const MAX_LINE_CHARS = 500;
/** Longest unfinished line held while waiting for its end. */
const MAX_PENDING_CHARS = 64 * 1024;

// OSC 8 hyperlinks: ESC ] 8 ; params ; URL (BEL | ESC \)
const HYPERLINK = /\x1b\]8;[^;\x07\x1b]*;(https?:\/\/[^\x07\x1b\s]+)(?:\x07|\x1b\\)/g;
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const PLAIN_URL = /https?:\/\/[^\s"'<>]+/;
// A line asking for the code, and ending where the code would be typed.
const PROMPT = /code[^>:]*[>:]\s*$/i;

export class LoginScreen {
  /** Lines so far, oldest first (at most LOGIN_OUTPUT_LINES). */
  private readonly lines: string[] = [];
  private pending = '';
  private codes: string[] = [];
  /** Lines seen in all (a count, so a prompt can be told to come after a code). */
  private seen = 0;
  url: string | undefined;
  /** The last prompt line, and the line count when it was seen. */
  prompt: { text: string; at: number } | undefined;

  /** A code sent to claude: it is never shown, even where claude echoes it. */
  redact(code: string): void {
    if (code.trim()) this.codes.push(code.trim());
  }

  /** How many lines have been seen so far. */
  get lineCount(): number {
    return this.seen;
  }

  /** Feed terminal output. */
  push(text: string): void {
    for (const match of text.matchAll(HYPERLINK)) this.url ??= match[1];
    const plain = (this.pending + text).replace(ESCAPES, '');
    const parts = plain.split(/\r\n|\n|\r/);
    this.pending = parts.pop()!.slice(-MAX_PENDING_CHARS);
    for (const part of parts) this.addLine(part);
    // A prompt is printed without a line end: it counts as soon as it shows.
    if (PROMPT.test(this.pending)) this.notePrompt(this.clean(this.pending));
  }

  /** The output is over: its last unfinished line counts. */
  end(): void {
    if (this.pending.trim()) this.addLine(this.pending);
    this.pending = '';
  }

  /** The kept lines, newest last. */
  output(): string[] {
    return [...this.lines];
  }

  /** The last line claude printed (a prompt still waiting included). */
  lastLine(): string | undefined {
    const pending = this.clean(this.pending);
    return pending || this.lines.at(-1);
  }

  private addLine(raw: string): void {
    const line = this.clean(raw);
    if (!line || line === this.lines.at(-1)) return;
    this.seen++;
    this.lines.push(line);
    if (this.lines.length > LOGIN_OUTPUT_LINES) this.lines.shift();
    // From the whole line: claude's address (~500 characters) runs past what a kept line holds.
    if (!this.url) this.url = PLAIN_URL.exec(raw)?.[0];
    if (PROMPT.test(line)) this.notePrompt(line);
  }

  private notePrompt(text: string): void {
    if (this.prompt?.text !== text || this.prompt.at !== this.seen) this.prompt = { text, at: this.seen };
  }

  private clean(raw: string): string {
    let line = raw.trimEnd();
    for (const code of this.codes) line = line.split(code).join('[code]');
    return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line.trim() === '' ? '' : line;
  }
}
