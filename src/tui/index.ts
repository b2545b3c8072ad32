/** The TUI's door: the app, its client, and the pure pieces other code may test against. */
export { App } from './App.js';
export type { ContextSwitch, HiveSource, TerminalControl } from './hive-source.js';
export { HiveClient } from './client/hive-client.js';
export { runTui } from './run.js';
export { parseTuiArgs, type TuiOptions } from './args.js';
