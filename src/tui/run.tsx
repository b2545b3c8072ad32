/** Starts the console: the hive client, Ink, and the one exit path. */
import { render } from 'ink';
import { App } from './App.js';
import { HiveClient } from './client/hive-client.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import type { TuiOptions } from './args.js';

/** Run until the operator quits; the core going away never ends it. */
export async function runTui(options: TuiOptions): Promise<void> {
  if (!options.color) process.env.FORCE_COLOR = '0';
  const client = new HiveClient({ socketPath: options.socketPath, readOnly: options.readOnly });
  // Connecting and loading the schemas are asynchronous: they proceed while the first frame is drawn.
  client.start();
  const instance = render(<App hive={client} theme={options.color ? colorTheme : noColorTheme} bell={options.bell} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the keymap so there is one exit path
    patchConsole: false,
    // Frames are already batched by the client; a higher cap only lets a keypress draw without waiting out a throttle window.
    maxFps: 60,
  });
  await instance.waitUntilExit();
  client.stop();
  process.exit(0);
}
