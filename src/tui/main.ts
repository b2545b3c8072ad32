#!/usr/bin/env -S node --max-semi-space-size=8 --max-old-space-size=128
/**
 * hyperhive-tui entry. NODE_ENV is set to production before React loads
 * (React reconciles twice as slowly in development); everything heavy is
 * imported after that. The heap flags keep RSS near 100 MB instead of ~150 MB
 * while a million events stream through (bench/tui-stream): V8 otherwise
 * reserves 32 MB of young generation and grows the old one lazily. The data
 * the console holds is bounded (ring buffers, capped lists) far below 128 MB.
 */
import { loadConsole } from './console-loader.js'; // light: it loads the console only when called

const env = process.env; // (not `process.env.NODE_ENV =`: the bundle defines that as a constant)
if (!env.NODE_ENV) env.NODE_ENV = 'production';
// CI is left alone: Ink's frames reach the screen in debug mode, which CI does not change, and the
// colour level is decided from the terminal (terminal/color-level.ts).

const argv = process.argv.slice(2);
// The console itself loads while the command line is read (a line it cannot run exits before it is used).
const loadingConsole = loadConsole();
const { usualTuiArgs } = await import('./usual-args.js');
// meow loads only for a line the usual-line reader does not know (help, version, errors, rare spellings).
const options = usualTuiArgs(argv, process.env) ?? (await parseWithMeow(argv));
const { runTui } = await loadingConsole;
await runTui(options);

async function parseWithMeow(args: string[]) {
  const { parseTuiArgs, USAGE } = await import('./args.js');
  const parsed = parseTuiArgs(args, process.env);
  if (parsed.ok === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.ok === 'version') {
    const { packageVersion } = await import('../protocol/command-line.js');
    process.stdout.write(`hyperhive-tui ${packageVersion()}\n`);
    process.exit(0);
  }
  if (parsed.ok === false) {
    process.stderr.write(`hyperhive-tui: ${parsed.error}\n`);
    process.exit(2);
  }
  return parsed.options;
}
