/**
 * Loads the console. Here (tsc's output) it is the ES module itself; the
 * bundle puts in its place a loader of the CommonJS copy with its code cache
 * (scripts/bundle-tui.mjs, code-cache.ts).
 */
export function loadConsole(): Promise<typeof import('./console.js')> {
  return import('./console.js');
}
