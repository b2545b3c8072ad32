/** Starts the console: the hive client, Ink, and the one exit path. */
import { render } from 'ink';
import { App, type TerminalControl } from './App.js';
import { HiveClient } from './client/hive-client.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import type { TuiOptions } from './args.js';

/**
 * Lending the terminal to a pager: raw mode off while it runs, back on after.
 * A pager that uses the alternate screen (less does) leaves the console's
 * frame as it was.
 */
function lendTerminal(stdin: NodeJS.ReadStream): TerminalControl {
  return {
    async runOutside(run) {
      const raw = stdin.isTTY && stdin.isRaw;
      if (raw) stdin.setRawMode(false);
      try {
        return await run();
      } finally {
        if (raw) stdin.setRawMode(true);
      }
    },
  };
}

/** Run until the operator quits; the core going away never ends it. */
export async function runTui(options: TuiOptions): Promise<void> {
  if (!options.color) process.env.FORCE_COLOR = '0';
  const client = new HiveClient({ socketPath: options.socketPath, readOnly: options.readOnly });
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  client.start();
  const copyToClipboard = (sequence: string) => void process.stdout.write(sequence);
  const app = <App hive={client} theme={options.color ? colorTheme : noColorTheme} bell={options.bell} terminal={lendTerminal(process.stdin)} copyToClipboard={copyToClipboard} />;
  const instance = render(app, {
    exitOnCtrlC: false, // Ctrl-C goes through the keymap so there is one exit path
    patchConsole: false,
    // Frames are already batched by the client; a higher cap only lets a keypress draw without waiting out a throttle window.
    maxFps: 60,
  });
  await instance.waitUntilExit();
  client.stop();
  process.exit(0);
}
