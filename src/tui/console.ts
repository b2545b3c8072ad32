/**
 * The console as the bundle ships it: one CommonJS file loaded with V8's code
 * cache (code-cache.ts), holding the program and the warm-up that makes the cache.
 */
export { runTui } from './run.js';
export { warmUpConsole } from './warm-up.js';
