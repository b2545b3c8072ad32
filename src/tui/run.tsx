/** Starts the console: the hives it knows (contexts), Ink, and the one exit path. */
import { useEffect, useState } from 'react';
import { render } from 'ink';
import { App, type TerminalControl } from './App.js';
import { ContextBoard } from './client/context-board.js';
import { contextsFilePath, readContexts, startingContext, type HiveContext } from './client/contexts.js';
import { colorTheme, noColorTheme, type Theme } from './theme/theme.js';
import type { TuiOptions } from './args.js';

/**
 * Lending the terminal to a pager: raw mode off while it runs, back on after.
 * A pager that uses the alternate screen (less does) leaves the console's
 * frame as it was.
 */
const terminal: TerminalControl = {
  async runOutside(run) {
    const stdin = process.stdin;
    const raw = stdin.isTTY && stdin.isRaw;
    if (raw) stdin.setRawMode(false);
    try {
      return await run();
    } finally {
      if (raw) stdin.setRawMode(true);
    }
  },
};

/** OSC 52 goes straight to the terminal. */
const copyToClipboard = (sequence: string) => void process.stdout.write(sequence);

/** The shown hive's console; a `:ctx` switch shows another (with its own UI state) while the others keep their state. */
function Console({ board, theme, bell }: { board: ContextBoard; theme: Theme; bell: boolean }) {
  const [shown, setShown] = useState(board.current);
  useEffect(() => board.subscribe(() => setShown(board.current)), [board]);
  return <App key={shown} hive={board.client(shown)} {...(board.names().length > 1 && { contexts: board })} theme={theme} bell={bell} terminal={terminal} copyToClipboard={copyToClipboard} />;
}

/** The hives the console knows and the one it starts on; a sentence when the command line's choice cannot be used. */
function boardFor(options: TuiOptions): ContextBoard {
  const file = contextsFilePath(process.env);
  let known = new Map<string, HiveContext>();
  try {
    known = readContexts(file);
  } catch (err) {
    // A broken contexts file matters only to whoever asked for a context from it.
    if (options.context !== undefined) throw err;
    process.stderr.write(`hyperhive-tui: ${(err as Error).message}; continuing without contexts\n`);
  }
  const { current, contexts } = startingContext(options, known, file);
  const board = new ContextBoard(contexts, current);
  board.client(); // the starting hive's token file is read now: a problem ends the console before it draws
  return board;
}

/** Run until the operator quits; the core going away never ends it. */
export async function runTui(options: TuiOptions): Promise<void> {
  if (!options.color) process.env.FORCE_COLOR = '0';
  let board: ContextBoard;
  try {
    board = boardFor(options);
  } catch (err) {
    process.stderr.write(`hyperhive-tui: ${(err as Error).message}\n`);
    process.exit(2);
  }
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  const instance = render(<Console board={board} theme={options.color ? colorTheme : noColorTheme} bell={options.bell} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the keymap so there is one exit path
    patchConsole: false,
    // Frames are already batched by the client; a higher cap only lets a keypress draw without waiting out a throttle window.
    maxFps: 60,
  });
  await instance.waitUntilExit();
  board.stop();
  process.exit(0);
}
