#!/usr/bin/env node
// Bundles hyperhive-tui into one ESM file so it starts fast: importing ink and
// its dependency tree file by file costs ~300 ms; one bundled file loads in a
// fraction of that. Run after tsc (the package's `build` script does both).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
const outfile = path.join(outdir, 'hyperhive-tui.mjs');

// Ink loads its React devtools bridge only when DEV=true; the console never does, so leave it out.
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /(^react-devtools-core$|\/devtools\.js$)/ }, (args) =>
      args.importer.includes(`${path.sep}ink${path.sep}`) ? { path: args.path, namespace: 'no-devtools' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

// yoga-layout's Emscripten loader fetches its inlined WASM (a data: URL) with fetch() when fetch exists,
// which loads undici: ~30 ms before the first frame. Without fetch in scope it decodes the same bytes itself.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => ({
      contents: `const fetch = undefined;\n${await fs.promises.readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

// Ink's Output turns each frame into text cell by cell, re-deriving escape codes per cell: most of a
// frame's time. The console's rows are pre-styled pieces side by side; src/tui/terminal/row-output.ts
// joins them directly and hands anything else to Ink's own Output (a test holds the two to the same screen).
const rowOutput = {
  name: 'row-output',
  setup(b) {
    const inkBuild = `${path.sep}ink${path.sep}build${path.sep}`;
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      args.importer.includes(inkBuild) && args.namespace === 'file' ? { path: path.join(args.resolveDir, 'output.js'), namespace: 'row-output' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'row-output' }, (args) => ({
      contents: [
        `import InkOutput from ${JSON.stringify(args.path)};`,
        `import stringWidth from 'string-width';`,
        `import { rowOutputClass } from ${JSON.stringify(path.join(root, 'src', 'tui', 'terminal', 'row-output.ts'))};`,
        'export default rowOutputClass(InkOutput, stringWidth);',
      ].join('\n'),
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

// Ink asks terminal-size for the width only when its stdout has none; the console's always has one. The
// package loads node:child_process (and with it dgram, net…) to run `tput`: ~15 ms before the first frame.
const noTerminalSize = {
  name: 'no-terminal-size',
  setup(b) {
    b.onResolve({ filter: /^terminal-size$/ }, () => ({ path: 'terminal-size', namespace: 'no-terminal-size' }));
    b.onLoad({ filter: /.*/, namespace: 'no-terminal-size' }, () => ({
      contents: 'export default function terminalSize() { return { columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }; }',
      loader: 'js',
    }));
  },
};

const result = await build({
  metafile: true,
  entryPoints: { 'hyperhive-tui': path.join(root, 'src', 'tui', 'main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  // Dynamic imports become chunks loaded on demand: the first frame does not wait for the schemas.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // React's production build; ink only loads its devtools when DEV=true.
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [noDevtools, yogaWithoutFetch, rowOutput, noTerminalSize],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __hhCreateRequire } from 'node:module'; const require = __hhCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// A rebuild must not leave stale chunks behind.
const kept = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
for (const dir of [outdir, path.join(outdir, 'chunks')]) {
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile() && !kept.has(file)) fs.rmSync(file);
  }
}
console.log(`bundled ${path.relative(root, outfile)}`);
