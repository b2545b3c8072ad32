#!/usr/bin/env node
// Bundles hyperhive-tui so it starts fast (run after tsc; the package's `build` script does both):
//   dist/bundle/hyperhive-tui.mjs      the program: reads the command line (meow only for rare lines,
//                                      in chunks/), and loads
//   dist/bundle/console.cjs            the console in one CommonJS file, with
//   dist/bundle/console.cjs.cache      the code V8 compiled drawing it offscreen here (src/tui/code-cache.ts),
//   dist/bundle/schemas.cjs (+ .cache) the wire schemas, which the console loads after its first frame.
// Node 20 caches no compiled code for ES modules; compiling the console is most of its start.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { cachedConsole, cachedSchemas, fastWidth, inkWithoutTopLevelAwait, noDevtools, noTerminalSize, rowOutput, sgrText, yogaSync, zodEnglishOnly } from './tui-bundle-plugins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
const entry = path.join(root, 'src', 'tui', 'main.ts');
const consoleFile = path.join(outdir, 'console.cjs');
const schemasFile = path.join(outdir, 'schemas.cjs');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // React's production build; ink only loads its devtools when DEV=true.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
};

const program = await build({
  ...common,
  entryPoints: { 'hyperhive-tui': entry },
  outdir,
  outExtension: { '.js': '.mjs' },
  // Dynamic imports (meow, for lines the usual-line reader does not know) become chunks loaded on demand.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  plugins: [cachedConsole],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __hhCreateRequire } from 'node:module'; const require = __hhCreateRequire(import.meta.url);" },
});
if (!fs.readFileSync(path.join(outdir, 'hyperhive-tui.mjs'), 'utf8').includes('console.cjs')) {
  throw new Error('bundle-tui: the console loader is not in the entry file, so it would not find console.cjs beside it');
}

const schemasBuild = await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'tui', 'client', 'wire-schemas.ts')],
  outfile: schemasFile,
  format: 'cjs',
  plugins: [zodEnglishOnly],
});
const consoleBuild = await build({
  ...common,
  entryPoints: [path.join(root, 'src', 'tui', 'console.ts')],
  outfile: consoleFile,
  format: 'cjs',
  plugins: [noDevtools, inkWithoutTopLevelAwait, yogaSync, noTerminalSize, rowOutput, sgrText, fastWidth, cachedSchemas],
});

// The code caches, made under the V8 flags the program runs with (its shebang's): V8 takes a cache only under those.
const shebang = fs.readFileSync(entry, 'utf8').split('\n', 1)[0];
const nodeFlags = /^#!.*\bnode\b(.*)$/.exec(shebang)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
const codeCache = pathToModule(path.join(root, 'dist', 'src', 'tui', 'code-cache.js'));
const cacheBytes = [];
for (const [file, warmUp] of [[schemasFile, 'warmUpSchemas'], [consoleFile, 'warmUpConsole']]) {
  const made = spawnSync(
    process.execPath,
    [...nodeFlags, '--input-type=module', '-e', `const { makeCodeCache } = await import(${JSON.stringify(codeCache)}); console.log(await makeCodeCache(${JSON.stringify(file)}, ${JSON.stringify(warmUp)})); process.exit(0);`],
    { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (made.status !== 0) throw new Error(`bundle-tui: making the code cache of ${path.basename(file)} failed:\n${made.stderr}`);
  cacheBytes.push(`${path.basename(file)} ${(Number(made.stdout.trim()) / 1024).toFixed(0)} KiB`);
}

// A rebuild must not leave stale chunks behind.
const kept = new Set([program, schemasBuild, consoleBuild].flatMap((b) => Object.keys(b.metafile.outputs)).map((f) => path.resolve(root, f)));
for (const file of [consoleFile, schemasFile]) kept.add(`${file}.cache`);
for (const dir of [outdir, path.join(outdir, 'chunks')]) {
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile() && !kept.has(file)) fs.rmSync(file);
  }
}
console.log(`bundled dist/bundle/hyperhive-tui.mjs, console.cjs and schemas.cjs (code caches: ${cacheBytes.join(', ')})`);

function pathToModule(file) {
  if (!fs.existsSync(file)) throw new Error(`bundle-tui: ${path.relative(root, file)} is missing: run tsc first (npm run build)`);
  return new URL(`file://${file}`).href;
}
