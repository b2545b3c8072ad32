/**
 * Terminal input → keys. Several keys often arrive in one read (over ssh, a
 * held key, typing ahead), an escape sequence can be split across reads, and
 * a paste arrives as text between `ESC[200~` and `ESC[201~` (bracketed
 * paste). The splitter turns whatever arrives into keys, in order, in the
 * shape the keymap reads (Ink's key flags) plus `paste` and `wheel`. Pure: the
 * reader (key-reader.ts) feeds it and runs the Esc timeout.
 */
import type { KeyFlags } from '../keys/keymap.js';

/** A key as the terminal delivers it: Ink's flags, a paste, or a mouse wheel step. */
export interface TerminalKey extends KeyFlags {
  /** Pasted text (bracketed paste), whole; `input` is empty so it never runs a command. */
  paste?: string;
  wheel?: 'up' | 'down';
}

/** One key: its text (a character, or the letter of a Ctrl key) and its flags. */
export interface KeyEvent {
  input: string;
  key: TerminalKey;
}

/** Pasted text kept per paste; the rest is dropped (the longest body the core takes is far shorter). */
export const PASTE_MAX_CHARS = 256 * 1024;

const ESC = '\u001b';
const PASTE_START = `${ESC}[200~`;
const PASTE_END = `${ESC}[201~`;

/** Splits terminal input into keys; holds an unfinished escape sequence or paste between reads. */
export class KeySplitter {
  private held = '';
  private paste: string | undefined;
  private pasteDropped = false;

  /** Keys in this chunk (with what was held from earlier reads). */
  push(chunk: string): KeyEvent[] {
    const out: KeyEvent[] = [];
    this.held = this.split(this.held + chunk, out, false);
    return out;
  }

  /** Whether an escape sequence or a paste is unfinished (the reader then waits, and flushes on a timeout). */
  get pending(): boolean {
    return this.held !== '' || this.paste !== undefined;
  }

  /** Whether a paste is open (its end marker has not arrived). */
  get inPaste(): boolean {
    return this.paste !== undefined;
  }

  /** Nothing more is coming soon: a held Esc is a key of its own, an unfinished paste ends here. */
  flush(): KeyEvent[] {
    const out: KeyEvent[] = [];
    if (this.paste !== undefined) {
      this.paste += this.held;
      this.held = '';
      this.endPaste(out);
    }
    this.held = this.split(this.held, out, true);
    return out;
  }

  /**
   * Split `text` into keys appended to `out`; returns what must wait for more
   * input (an unfinished escape sequence, or the tail of an open paste that
   * may be the start of its end marker). `final`: nothing more will come.
   */
  private split(text: string, out: KeyEvent[], final: boolean): string {
    let i = 0;
    while (i < text.length) {
      if (this.paste !== undefined) {
        const end = text.indexOf(PASTE_END, i);
        if (end === -1) {
          // Keep back what could be the first bytes of the end marker.
          const keep = final ? 0 : partialSuffix(text, PASTE_END);
          this.addToPaste(text.slice(i, text.length - keep));
          return text.slice(text.length - keep);
        }
        this.addToPaste(text.slice(i, end));
        this.endPaste(out);
        i = end + PASTE_END.length;
        continue;
      }
      const ch = text[i]!;
      if (ch !== ESC) {
        const cp = text.codePointAt(i)!;
        const width = cp > 0xffff ? 2 : 1;
        const key = plainKey(text.slice(i, i + width), cp);
        if (key) out.push(key);
        i += width;
        continue;
      }
      const seq = readEscape(text, i);
      if (seq === 'incomplete') {
        if (!final) return text.slice(i);
        // Nothing more is coming: the Esc was pressed on its own, and what follows is typed.
        out.push({ input: '', key: { escape: true } });
        i += 1;
        continue;
      }
      i = seq.next;
      if (seq.text === PASTE_START) {
        this.paste = '';
        this.pasteDropped = false;
        continue;
      }
      if (seq.text === PASTE_END) continue; // an end marker with no start
      const key = escapeKey(seq.text);
      if (key) out.push(key);
    }
    return '';
  }

  private addToPaste(text: string): void {
    const room = PASTE_MAX_CHARS - this.paste!.length;
    if (text.length > room) this.pasteDropped = true;
    this.paste += room > 0 ? text.slice(0, room) : '';
  }

  private endPaste(out: KeyEvent[]): void {
    const text = cleanPaste(this.paste!);
    this.paste = undefined;
    if (text !== '' || this.pasteDropped) out.push({ input: '', key: { paste: text } });
  }
}

/** How many characters at the end of `text` are a proper prefix of `marker`. */
function partialSuffix(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}

/** Pasted text as it goes into an input: newlines as `\n`, no control characters but tab. */
function cleanPaste(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** A key that is not an escape sequence: a character, or a control key. */
function plainKey(ch: string, cp: number): KeyEvent | undefined {
  if (cp === 0x0d || cp === 0x0a) return { input: '', key: { return: true } };
  if (cp === 0x09) return { input: '', key: { tab: true } };
  if (cp === 0x7f || cp === 0x08) return { input: '', key: { backspace: true } };
  if (cp >= 0x01 && cp <= 0x1a) return { input: String.fromCharCode(cp + 0x60), key: { ctrl: true } };
  if (cp < 0x20 || (cp >= 0x80 && cp <= 0x9f)) return undefined; // NUL, Ctrl-\ ] ^ _, C1: no key of ours
  return { input: ch, key: /^[A-Z]$/.test(ch) ? { shift: true } : {} };
}

type EscapeRead = { text: string; next: number } | 'incomplete';

/** The escape sequence starting at `start` (an ESC): CSI, SS3, Alt + a key, or incomplete. */
function readEscape(text: string, start: number): EscapeRead {
  const kind = text[start + 1];
  if (kind === undefined) return 'incomplete';
  if (kind === '[') {
    // CSI: parameter bytes 0x30–0x3f, intermediate bytes 0x20–0x2f, one final byte 0x40–0x7e.
    for (let j = start + 2; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c >= 0x20 && c <= 0x3f) continue;
      if (c >= 0x40 && c <= 0x7e) return { text: text.slice(start, j + 1), next: j + 1 };
      return { text: text.slice(start, j), next: j }; // malformed: dropped, the rest is read as keys
    }
    return 'incomplete';
  }
  if (kind === 'O') {
    if (start + 2 >= text.length) return 'incomplete';
    return { text: text.slice(start, start + 3), next: start + 3 };
  }
  if (kind === ESC) {
    // ESC ESC: Alt + an escape sequence (some terminals send Alt-↑ so), else Esc pressed twice.
    const inner = readEscape(text, start + 1);
    if (inner === 'incomplete') return start + 2 >= text.length ? 'incomplete' : { text: ESC, next: start + 1 };
    if (inner.text.length > 2) return { text: ESC + inner.text, next: inner.next };
    return { text: ESC, next: start + 1 };
  }
  const cp = text.codePointAt(start + 1)!;
  return { text: text.slice(start, start + 1 + (cp > 0xffff ? 2 : 1)), next: start + 1 + (cp > 0xffff ? 2 : 1) };
}

/** Cursor keys by final letter, the same after CSI (`ESC[A`) and SS3 (`ESC OA`, application mode). */
const CURSOR_LETTER: Record<string, TerminalKey> = {
  A: { upArrow: true },
  B: { downArrow: true },
  C: { rightArrow: true },
  D: { leftArrow: true },
  H: { home: true },
  F: { end: true },
};

const CSI_LETTER: Record<string, TerminalKey> = { ...CURSOR_LETTER, Z: { tab: true, shift: true } };

const CSI_TILDE: Record<string, TerminalKey> = {
  '1': { home: true },
  '7': { home: true },
  '4': { end: true },
  '8': { end: true },
  '3': { delete: true },
  '5': { pageUp: true },
  '6': { pageDown: true },
};

/** Keypad Enter arrives as SS3 M in application mode. */
const SS3_LETTER: Record<string, TerminalKey> = { ...CURSOR_LETTER, M: { return: true } };

/** The key an escape sequence stands for; undefined for one that is no key of ours (F-keys, focus, reports). */
function escapeKey(seq: string): KeyEvent | undefined {
  if (seq === ESC) return { input: '', key: { escape: true } };
  if (seq.startsWith(ESC + ESC)) {
    const inner = escapeKey(seq.slice(1));
    return inner && { input: inner.input, key: { ...inner.key, meta: true } };
  }
  if (seq.startsWith(`${ESC}[<`)) return mouseKey(seq);
  if (seq.startsWith(`${ESC}[`)) {
    const final = seq[seq.length - 1]!;
    const params = seq.slice(2, -1).split(';');
    const mods = modifiers(params[1]);
    const base = final === '~' ? CSI_TILDE[params[0] ?? ''] : /^[0-9]*$/.test(params[0] ?? '') ? CSI_LETTER[final] : undefined;
    return base && { input: '', key: { ...base, ...mods } };
  }
  if (seq.startsWith(`${ESC}O`)) {
    const base = SS3_LETTER[seq[2]!];
    return base && { input: '', key: { ...base } };
  }
  // Alt + a key.
  const inner = plainKey(seq.slice(1), seq.codePointAt(1)!);
  return inner && { input: inner.input, key: { ...inner.key, meta: true } };
}

/** xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4). */
function modifiers(param: string | undefined): TerminalKey {
  const n = Number(param ?? '1') - 1;
  if (!Number.isInteger(n) || n <= 0) return {};
  const mods: TerminalKey = {};
  if (n & 1) mods.shift = true;
  if (n & 2) mods.meta = true;
  if (n & 4) mods.ctrl = true;
  return mods;
}

/** SGR mouse report (`ESC[<b;x;yM`): the wheel scrolls; clicks and motion are no keys. */
function mouseKey(seq: string): KeyEvent | undefined {
  const m = /^\u001b\[<(\d+);\d+;\d+[Mm]$/.exec(seq);
  if (!m || seq.endsWith('m')) return undefined;
  const button = Number(m[1]);
  if ((button & 64) === 0 || (button & 32) !== 0) return undefined; // not the wheel, or motion
  const step = button & 3;
  if (step === 0) return { input: '', key: { wheel: 'up' } };
  if (step === 1) return { input: '', key: { wheel: 'down' } };
  return undefined; // horizontal wheel
}
