/**
 * Starts the console: the terminal, the hive client, Ink — and the one exit
 * path. However the console ends (q, Ctrl-C, SIGTERM, SIGHUP when the link
 * drops, SIGINT, an error) the terminal is given back first; an error is
 * printed after that, on the operator's own screen.
 */
import { render } from 'ink';
import chalk from 'chalk';
import { App } from './App.js';
import { HiveClient } from './client/hive-client.js';
import { themeFor } from './theme/theme.js';
import { colorLevel } from './terminal/color-level.js';
import { TerminalScreen } from './terminal/screen.js';
import type { TuiOptions } from './args.js';

/** Exit codes for the signals that end the console: 128 + the signal's number, as shells report them. */
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Run until the operator quits; the core going away never ends it. */
export async function runTui(options: TuiOptions): Promise<void> {
  const level = colorLevel({ env: process.env, colorFlag: options.color, isTTY: Boolean(process.stdout.isTTY) });
  // Anything Ink colours itself follows the same decision.
  chalk.level = level;
  const screen = new TerminalScreen(process.stdout, process.stdin, { mouse: options.mouse });
  const client = new HiveClient({ socketPath: options.socketPath, readOnly: options.readOnly });

  let finishing = false;
  const finish = (code: number, error?: unknown): void => {
    if (finishing) return;
    finishing = true;
    screen.restore();
    client.stop();
    if (error !== undefined) process.stderr.write(`hyperhive-tui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(code);
  };
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) process.on(signal, () => finish(code));
  process.on('uncaughtException', (err) => finish(1, err));
  process.on('unhandledRejection', (reason) => finish(1, reason));
  // The terminal went away under us (EIO, EPIPE): nothing left to draw on.
  process.stdout.on('error', () => finish(1));

  screen.enter();
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  client.start();
  const instance = render(<App hive={client} theme={themeFor(level)} bell={options.bell} terminal={screen} />, {
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
