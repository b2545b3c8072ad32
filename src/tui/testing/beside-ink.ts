/**
 * Ink's own pieces for tests that hold the console's faster stand-ins to
 * them: Ink's Output and the packages Ink measures text with, reached by file
 * as Ink reaches them (the packages export only their entries).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InkOutputClass } from '../terminal/row-output.js';

const inkEntry = createRequire(import.meta.url).resolve('ink');
const inkPackage = path.dirname(path.dirname(inkEntry));

/** The ESM entry of a package installed beside Ink. */
export async function importBesideInk<T>(name: string): Promise<T> {
  const dir = path.join(path.dirname(inkPackage), name);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports: string | Record<string, unknown> };
  const root = typeof manifest.exports === 'string' ? manifest.exports : ((manifest.exports['.'] ?? manifest.exports) as string | { import?: string; default?: string });
  const entry = typeof root === 'string' ? root : (root.import ?? root.default!);
  return (await import(pathToFileURL(path.join(dir, entry)).href)) as T;
}

/** Ink's own Output class. */
export async function inkOutputClass(): Promise<InkOutputClass> {
  return ((await import(pathToFileURL(path.join(path.dirname(inkEntry), 'output.js')).href)) as { default: InkOutputClass }).default;
}

/** string-width, strip-ansi and get-east-asian-width as Ink uses them. */
export async function inkTextWidth(): Promise<{
  stringWidth: (text: string) => number;
  stripAnsi: (text: string) => string;
  eastAsianWidth: (codePoint: number) => number;
}> {
  const stringWidth = (await importBesideInk<{ default: (s: string) => number }>('string-width')).default;
  const stripAnsi = (await importBesideInk<{ default: (s: string) => string }>('strip-ansi')).default;
  const { eastAsianWidth } = await importBesideInk<{ eastAsianWidth: (c: number) => number }>('get-east-asian-width');
  return { stringWidth, stripAnsi, eastAsianWidth };
}
