/** Starts the console: the terminal, the hives it knows (contexts), Ink, and the one exit path (terminal/exit-path.ts). */
import { useEffect, useState } from 'react';
import { render } from 'ink';
import chalk from 'chalk';
import { App } from './App.js';
import { ContextBoard } from './client/context-board.js';
import { contextsFilePath, readContexts, startingContext, type HiveContext } from './client/contexts.js';
import { themeFor, type Theme } from './theme/theme.js';
import { colorLevel } from './terminal/color-level.js';
import { TerminalScreen } from './terminal/screen.js';
import { installExitPath } from './terminal/exit-path.js';
import type { TuiOptions } from './args.js';

interface ConsoleProps {
  board: ContextBoard;
  theme: Theme;
  bell: boolean;
  screen: TerminalScreen;
  quitAsks: string | undefined;
  copyToClipboard: (sequence: string) => void;
}

/** The shown hive's console; a `:ctx` switch shows another (with its own UI state) while the others keep their state. */
function Console({ board, screen, ...rest }: ConsoleProps) {
  const [shown, setShown] = useState(board.current);
  useEffect(() => board.subscribe(() => setShown(board.current)), [board]);
  return <App key={shown} hive={board.client(shown)} {...(board.names().length > 1 && { contexts: board })} terminal={screen} {...rest} recapOnAttach />;
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
  const level = colorLevel({ env: process.env, colorFlag: options.color, isTTY: Boolean(process.stdout.isTTY) });
  // Anything Ink colours itself follows the same decision.
  chalk.level = level;
  let board: ContextBoard;
  try {
    // Before the screen is taken, so the sentence stays on the operator's screen.
    board = boardFor(options);
  } catch (err) {
    process.stderr.write(`hyperhive-tui: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const screen = new TerminalScreen(process.stdout, process.stdin, { mouse: options.mouse });
  const finish = installExitPath(process, () => {
    screen.restore();
    board.stop();
  });

  // Job control: the terminal is the shell's while the console is stopped.
  process.on('SIGTSTP', () => {
    screen.stopped();
    process.kill(process.pid, 'SIGSTOP');
  });
  process.on('SIGCONT', () => screen.continued());

  screen.enter();
  const quitAsks = options.demo ? 'quit? this stops the demo hive' : undefined;
  // OSC 52 goes straight to the terminal: it draws nothing, so it is not a frame.
  const copyToClipboard = (sequence: string) => void process.stdout.write(sequence);
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  const app = <Console board={board} theme={themeFor(level)} bell={options.bell} screen={screen} quitAsks={quitAsks} copyToClipboard={copyToClipboard} />;
  const instance = render(app, {
    // Each frame reaches the screen whole (debug mode writes it as one string), which draws it in place.
    stdout: screen.frames as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false, // Ctrl-C goes through the keymap so there is one exit path
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } catch (err) {
    finish(1, err);
  }
  finish(0);
}
