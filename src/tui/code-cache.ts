/**
 * Loading a CommonJS bundle with V8's code cache. Node 20 caches no compiled
 * code for ES modules, and compiling the console (React, Ink, yoga, the views)
 * is most of what stands between node's start and the first frame. The bundle
 * ships the console as one CommonJS file and, beside it, the code V8 compiled
 * while drawing a frame offscreen at build time; loading it with that cache
 * skips the compiling. V8 rejects a cache made by another node or with other
 * V8 flags, and the file then loads as it would without one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** Where a bundle's cache lives: beside it. */
export const cacheFileOf = (file: string): string => `${file}.cache`;

/** Compile a CommonJS file (with `cachedData` when given) the way node's loader wraps one. */
function compile(file: string, cachedData?: Buffer): vm.Script {
  const source = fs.readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return new vm.Script(wrapped, { filename: file, ...(cachedData && { cachedData }) });
}

function run(script: vm.Script, file: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const factory = script.runInThisContext() as (...args: unknown[]) => void;
  factory(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** What became of the cache: used, refused by V8 (another node, other flags), or none beside the file. */
export type CacheUse = 'accepted' | 'rejected' | 'missing';

/** The exports of a CommonJS bundle, compiled from its cache where V8 takes it. */
export function loadCodeCached<T>(fileOrUrl: string | URL): { exports: T; cache: CacheUse } {
  const file = fileOrUrl instanceof URL ? fileURLToPath(fileOrUrl) : fileOrUrl;
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFileOf(file));
  } catch {
    // no cache: compile from source
  }
  const script = compile(file, cachedData);
  const cache: CacheUse = !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: run(script, file) as T, cache };
}

/**
 * Run the bundle, let `warmUp` (one of its exports) exercise what a start
 * needs, and write what V8 compiled meanwhile beside the file. Run it with
 * the V8 flags the program runs with: V8 takes a cache only under the flags
 * it was made with.
 */
export async function makeCodeCache(file: string, warmUp: string): Promise<number> {
  const script = compile(file);
  const exports = run(script, file);
  const warm = exports[warmUp];
  if (typeof warm !== 'function') throw new Error(`${file} exports no ${warmUp}()`);
  await (warm as () => Promise<void>)();
  const data = script.createCachedData();
  fs.writeFileSync(cacheFileOf(file), data);
  return data.length;
}
