/**
 * The console's one keypress owner: reads the input stream, decodes UTF-8
 * across reads, splits every chunk into keys (key-splitter.ts) and hands them
 * over in order, all keys of a read at once. A lone Esc is told apart from
 * the start of an escape sequence by a short wait.
 */
import { StringDecoder } from 'node:string_decoder';
import { KeySplitter, type KeyEvent } from './key-splitter.js';

/** How long an Esc waits for the rest of a sequence before it counts as Esc (vim's `ttimeoutlen` is of this order). */
export const ESC_TIMEOUT_MS = 50;
/** How long an open paste waits for more text before it is taken as ended (terminals always send the end marker; this only guards against one that does not). */
export const PASTE_TIMEOUT_MS = 1000;

/** The part of a stream the reader uses (process.stdin, or ink-testing-library's stand-in). */
export interface KeyInput {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
}

/** Read keys from `input` until the returned function is called. */
export function readKeys(input: KeyInput, onKeys: (keys: KeyEvent[]) => void): () => void {
  const splitter = new KeySplitter();
  const decoder = new StringDecoder('utf8');
  let timer: NodeJS.Timeout | undefined;
  const deliver = (keys: KeyEvent[]) => {
    if (keys.length > 0) onKeys(keys);
  };
  const onData = (chunk: Buffer | string) => {
    clearTimeout(timer);
    timer = undefined;
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    deliver(splitter.push(text));
    if (splitter.pending) {
      timer = setTimeout(() => {
        timer = undefined;
        deliver(splitter.flush());
      }, splitter.inPaste ? PASTE_TIMEOUT_MS : ESC_TIMEOUT_MS);
    }
  };
  input.on('data', onData);
  return () => {
    clearTimeout(timer);
    input.off('data', onData);
  };
}
