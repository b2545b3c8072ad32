/** The `hyperhive` ctl: its runner, argument parser and formatters. */
export { run, EXIT, type CliIo } from './run.js';
export { parseArgs, type Command, type Invocation } from './args.js';
