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
  plugins: [noDevtools],
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
