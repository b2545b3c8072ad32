/** Starts the console: the terminal, the hive client, Ink, and the one exit path (terminal/exit-path.ts). */
import { render } from 'ink';
import chalk from 'chalk';
import { App } from './App.js';
import { HiveClient } from './client/hive-client.js';
import { themeFor } from './theme/theme.js';
import { colorLevel } from './terminal/color-level.js';
import { TerminalScreen } from './terminal/screen.js';
import { installExitPath } from './terminal/exit-path.js';
import type { TuiOptions } from './args.js';

/** Run until the operator quits; the core going away never ends it. */
export async function runTui(options: TuiOptions): Promise<void> {
  const level = colorLevel({ env: process.env, colorFlag: options.color, isTTY: Boolean(process.stdout.isTTY) });
  // Anything Ink colours itself follows the same decision.
  chalk.level = level;
  const screen = new TerminalScreen(process.stdout, process.stdin, { mouse: options.mouse });
  const client = new HiveClient({ socketPath: options.socketPath, readOnly: options.readOnly });

  const finish = installExitPath(process, () => {
    screen.restore();
    client.stop();
  });

  // Job control: the terminal is the shell's while the console is stopped.
  process.on('SIGTSTP', () => {
    screen.stopped();
    process.kill(process.pid, 'SIGSTOP');
  });
  process.on('SIGCONT', () => screen.continued());

  screen.enter();
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  client.start();
  const quitAsks = options.demo ? 'quit? this stops the demo hive' : undefined;
  const instance = render(<App hive={client} theme={themeFor(level)} bell={options.bell} terminal={screen} quitAsks={quitAsks} />, {
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
