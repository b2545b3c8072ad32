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
// which loads undici (~30 ms before the first frame), or else decodes the base64 in a JS loop. Here the
// bytes are decoded natively and handed to the loader as its wasmBinary; fetch is never in scope.
const WASM_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
const yogaWasm = {
  name: 'yoga-wasm',
  setup(b) {
    const binaries = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
    const index = /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/;
    const must = (found, what) => {
      if (!found) throw new Error(`bundle-tui: yoga-layout changed (${what} not found); update the yoga-wasm plugin`);
    };
    b.onLoad({ filter: binaries }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      must(WASM_DATA_URL.test(source), 'the inlined WASM');
      return { contents: `const fetch = undefined;\n${source.replace(WASM_DATA_URL, '""')}`, loader: 'js' };
    });
    b.onLoad({ filter: index }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const call = 'await loadYoga()';
      must(source.includes(call), call);
      const binary = await fs.promises.readFile(path.join(path.dirname(args.path), '..', 'binaries', 'yoga-wasm-base64-esm.js'), 'utf8');
      const base64 = WASM_DATA_URL.exec(binary)?.[1];
      must(base64, 'the inlined WASM');
      return { contents: source.replace(call, `await loadYoga({ wasmBinary: Buffer.from(${JSON.stringify(base64)}, 'base64') })`), loader: 'js', resolveDir: path.dirname(args.path) };
    });
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

// string-width segments any text beyond ASCII into grapheme clusters and tests each against Unicode
// property regexes: the largest single cost of a first frame. src/tui/terminal/text-width.ts measures the
// console's own text (Latin, punctuation, arrows, box drawing, symbols) by East Asian Width and hands
// anything else to the string-width the importer would have had (a test holds the two to the same widths).
const fastWidth = {
  name: 'fast-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'real' });
      return real.errors.length ? undefined : { path: real.path, namespace: 'fast-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fast-width' }, (args) => ({
      contents: [
        `import stringWidth from ${JSON.stringify(args.path)};`,
        `import stripAnsi from 'strip-ansi';`,
        `import { eastAsianWidth } from 'get-east-asian-width';`,
        `import { fastStringWidth } from ${JSON.stringify(path.join(root, 'src', 'tui', 'terminal', 'text-width.ts'))};`,
        'export default fastStringWidth(stringWidth, stripAnsi, eastAsianWidth);',
      ].join('\n'),
      resolveDir: path.dirname(args.path),
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
  plugins: [noDevtools, yogaWasm, rowOutput, noTerminalSize, fastWidth],
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
