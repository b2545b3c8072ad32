import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { KeySplitter, PASTE_MAX_CHARS, type KeyEvent } from './key-splitter.js';
import { ESC_TIMEOUT_MS, readKeys } from './key-reader.js';

const E = '\u001b';

/** Every key from feeding `chunks` in turn, then (as after the Esc timeout) flushing. */
function keysOf(...chunks: string[]): KeyEvent[] {
  const s = new KeySplitter();
  const out: KeyEvent[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.flush());
  return out;
}

/** The keys as short names, for readable expectations. */
function names(keys: KeyEvent[]): string[] {
  return keys.map(({ input, key }) => {
    const flags = Object.entries(key)
      .filter(([k, v]) => v === true && k !== 'shift')
      .map(([k]) => k);
    if (key.paste !== undefined) return `paste:${key.paste}`;
    if (key.wheel) return `wheel:${key.wheel}`;
    return [...flags, input].filter(Boolean).join('+');
  });
}

test('a printable run is one key per character, in order', () => {
  assert.deepEqual(names(keysOf('jjj')), ['j', 'j', 'j']);
  assert.deepEqual(names(keysOf('Friday')), ['F', 'r', 'i', 'd', 'a', 'y']);
  assert.equal(keysOf('G')[0]!.key.shift, true, 'capitals carry shift, as Ink reports them');
  assert.deepEqual(names(keysOf('é😀x')), ['é', '😀', 'x'], 'characters outside the BMP stay whole');
});

test('control keys inside a chunk: backspaces, Enter, Tab, Ctrl letters', () => {
  assert.deepEqual(names(keysOf('Friday\u007f\u007fay')), ['F', 'r', 'i', 'd', 'a', 'y', 'backspace', 'backspace', 'a', 'y']);
  assert.deepEqual(names(keysOf('note\r')), ['n', 'o', 't', 'e', 'return']);
  assert.deepEqual(names(keysOf('\t\u0003\u0015\b\n')), ['tab', 'ctrl+c', 'ctrl+u', 'backspace', 'return']);
  assert.deepEqual(names(keysOf('\u0000\u001c\u0085a')), ['a'], 'NUL, Ctrl-\\ and C1 controls are no keys');
});

test('CSI and SS3 sequences, with modifiers, between other keys', () => {
  assert.deepEqual(names(keysOf(`j${E}[Aj${E}[B${E}OC${E}OD`)), ['j', 'upArrow', 'j', 'downArrow', 'rightArrow', 'leftArrow']);
  assert.deepEqual(names(keysOf(`${E}[5~${E}[6~${E}[H${E}[F${E}[1~${E}[4~${E}[3~`)), ['pageUp', 'pageDown', 'home', 'end', 'home', 'end', 'delete']);
  assert.deepEqual(names(keysOf(`${E}[1;5A${E}[1;3B`)), ['upArrow+ctrl', 'downArrow+meta']);
  const shiftTab = keysOf(`${E}[Z`)[0]!;
  assert.equal(shiftTab.key.tab && shiftTab.key.shift, true);
  assert.deepEqual(names(keysOf(`${E}[15~${E}[I${E}[97u${E}OPq`)), ['q'], 'F-keys, focus reports and kitty keys are no keys of ours, and never text');
});

test('Alt-prefixed keys, and Esc on its own once nothing follows', () => {
  assert.deepEqual(names(keysOf(`${E}j`)), ['meta+j']);
  assert.deepEqual(names(keysOf(`${E}${E}[A`)), ['upArrow+meta']);
  assert.deepEqual(names(keysOf(E)), ['escape']);
  assert.deepEqual(names(keysOf(E + E)), ['escape', 'escape']);
  assert.deepEqual(names(keysOf(`${E}[`)), ['escape', '['], 'Esc then [ typed, with nothing after: two keys');
});

test('an escape sequence split at every point across reads is one key', () => {
  for (const seq of [`${E}[A`, `${E}[1;5B`, `${E}OC`, `${E}[6~`, `${E}[<65;10;5M`]) {
    const whole = names(keysOf(`x${seq}y`));
    for (let cut = 1; cut < seq.length + 2; cut++) {
      const text = `x${seq}y`;
      const s = new KeySplitter();
      const got = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut))];
      assert.deepEqual(names(got), whole, `${JSON.stringify(seq)} cut at ${cut}`);
    }
    // One byte per read.
    const s = new KeySplitter();
    const got = [...`x${seq}y`].flatMap((ch) => s.push(ch));
    assert.deepEqual(names(got), whole, `${JSON.stringify(seq)} byte by byte`);
  }
});

test('a held partial sequence waits; the splitter says so until it completes', () => {
  const s = new KeySplitter();
  assert.deepEqual(s.push(`j${E}[1;`), [{ input: 'j', key: {} }]);
  assert.equal(s.pending, true);
  assert.deepEqual(names(s.push('5A')), ['upArrow+ctrl']);
  assert.equal(s.pending, false);
});

test('bracketed paste arrives whole as one paste key, never as keys', () => {
  assert.deepEqual(names(keysOf(`${E}[200~qjj:quit\r${E}[201~`)), ['paste:qjj:quit\n']);
  assert.equal(keysOf(`${E}[200~q${E}[201~`)[0]!.input, '', 'a paste has no key text: it can never run a command');
  assert.deepEqual(names(keysOf(`a${E}[200~line 1\r\nline 2\t${E}[31mred${E}[201~b`)), ['a', 'paste:line 1\nline 2\t[31mred', 'b']);
  assert.deepEqual(names(keysOf(`${E}[200~${E}[201~`)), [], 'an empty paste is nothing');
  assert.deepEqual(names(keysOf(`${E}[201~j`)), ['j'], 'a stray end marker is dropped');
});

test('a paste split at every point, markers included, is still one paste', () => {
  const text = `j${E}[200~hello ${E}[A world${E}[201~k`;
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(names(keysOf(text.slice(0, cut), text.slice(cut))), ['j', `paste:hello [A world`, 'k'], `cut at ${cut}`);
  }
  const s = new KeySplitter();
  s.push(`${E}[200~part`);
  assert.equal(s.inPaste, true);
  assert.deepEqual(names(s.flush()), ['paste:part'], 'a paste whose end never comes ends on the timeout');
});

test('a paste is bounded', () => {
  const big = 'x'.repeat(PASTE_MAX_CHARS + 10);
  const [key] = keysOf(`${E}[200~${big}${E}[201~`);
  assert.equal(key!.key.paste!.length, PASTE_MAX_CHARS);
});

test('mouse wheel reports scroll; clicks, releases and motion are no keys', () => {
  assert.deepEqual(names(keysOf(`${E}[<64;10;5M${E}[<65;10;5M${E}[<69;1;1M`)), ['wheel:up', 'wheel:down', 'wheel:down']);
  assert.deepEqual(names(keysOf(`${E}[<0;10;5M${E}[<0;10;5m${E}[<96;1;1M${E}[<66;1;1Mj`)), ['j']);
});

test('the reader hands over every key of a read at once, decodes UTF-8 split across reads, and times out a lone Esc', async () => {
  const input = new EventEmitter();
  const batches: string[][] = [];
  const stop = readKeys(input as never, (keys) => batches.push(names(keys)));
  input.emit('data', Buffer.from('jjj'));
  const euro = Buffer.from('€');
  input.emit('data', euro.subarray(0, 1));
  input.emit('data', euro.subarray(1));
  input.emit('data', Buffer.from(E));
  assert.deepEqual(batches, [['j', 'j', 'j'], ['€']]);
  await new Promise((r) => setTimeout(r, ESC_TIMEOUT_MS * 3));
  assert.deepEqual(batches.at(-1), ['escape']);
  input.emit('data', `${E}[`);
  input.emit('data', 'B');
  assert.deepEqual(batches.at(-1), ['downArrow'], 'a sequence completed by the next read before the timeout is one key');
  stop();
  input.emit('data', 'q');
  assert.deepEqual(batches.at(-1), ['downArrow'], 'nothing is read after stop');
});
