/** The `hyperhive` ctl: its runner, argument parser and formatters. */
export { run, EXIT } from './run.js';
export type { CliIo } from './cli-io.js';
export { parseArgs, type Invocation } from './args.js';
export type { Command } from './command.js';
