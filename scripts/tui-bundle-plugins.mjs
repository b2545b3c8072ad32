// esbuild plugins for the console's bundle (scripts/bundle-tui.mjs): what the first frame never needs
// is left out, and Ink's hottest steps get the console's faster stand-ins (each held to Ink's own
// answers by a test under src/tui/terminal/). A plugin whose target changed shape fails the build
// rather than quietly losing what it did.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const source = (...p) => JSON.stringify(path.join(root, 'src', ...p));
const inkBuild = `${path.sep}ink${path.sep}build${path.sep}`;

function must(found, what) {
  if (!found) throw new Error(`bundle-tui: ${what} not found — a dependency changed shape; update scripts/tui-bundle-plugins.mjs`);
}

/** Replace `module` (as Ink's build imports it, e.g. './output.js') by `contents(realPath)`, which may import the real one. */
function inFrontOfInk(name, module, contents) {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return {
    name,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${escaped}$`) }, (args) =>
        args.importer.includes(inkBuild) && args.namespace === 'file' ? { path: path.join(args.resolveDir, module), namespace: name } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: name }, (args) => ({ contents: contents(args.path), resolveDir: path.dirname(args.path), loader: 'js' }));
    },
  };
}

/** Ink loads its React devtools bridge only when DEV=true; the console never does, so leave it out. */
export const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /(^react-devtools-core$|\/devtools\.js$)/ }, (args) =>
      args.importer.includes(`${path.sep}ink${path.sep}`) ? { path: args.path, namespace: 'no-devtools' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

/** Ink's reconciler awaits its devtools and package.json at the top level, only when DEV=true; CommonJS has no top-level await. */
export const inkWithoutTopLevelAwait = {
  name: 'ink-without-top-level-await',
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      for (const [from, to] of [["await import('./devtools.js');", 'void 0;'], ['? await loadPackageJson()', '? { name: undefined, version: undefined }']]) {
        must(text.includes(from), `Ink's ${from}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/**
 * yoga-layout instantiates its inlined WASM asynchronously (a top-level await, which CommonJS cannot
 * have), fetching the data: URL with fetch() — which loads undici, ~30 ms — or decoding it in a JS loop.
 * Here the bytes are decoded natively at load and compiled synchronously through Emscripten's
 * `instantiateWasm` hook, so the module is ready when its import returns.
 */
const WASM_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
export const yogaSync = {
  name: 'yoga-sync',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      must(WASM_DATA_URL.test(text), "yoga's inlined WASM");
      must(text.includes('var _scriptDir = import.meta.url;'), "yoga's _scriptDir");
      return { contents: `const fetch = undefined;\n${text.replace(WASM_DATA_URL, '""').replace('var _scriptDir = import.meta.url;', 'var _scriptDir = "";')}`, loader: 'js' };
    });
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const load = 'const Yoga = wrapAssembly(await loadYoga());';
      must(text.includes(load), `yoga's ${load}`);
      const binary = await fs.promises.readFile(path.join(path.dirname(args.path), '..', 'binaries', 'yoga-wasm-base64-esm.js'), 'utf8');
      const base64 = WASM_DATA_URL.exec(binary)?.[1];
      must(base64, "yoga's inlined WASM");
      const sync = [
        `const yogaModule = { instantiateWasm(imports, receive) {`,
        `  const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(${JSON.stringify(base64)}, 'base64')), imports);`,
        `  receive(instance);`,
        `  return instance.exports;`,
        `} };`,
        `loadYoga(yogaModule);`,
        `const Yoga = wrapAssembly(yogaModule);`,
      ].join('\n');
      return { contents: text.replace(load, sync), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * Ink asks terminal-size for the width only when its stdout has none; the console's always has one. The
 * package loads node:child_process (and with it dgram, net…) to run `tput`: ~15 ms before the first frame.
 */
export const noTerminalSize = {
  name: 'no-terminal-size',
  setup(b) {
    b.onResolve({ filter: /^terminal-size$/ }, () => ({ path: 'terminal-size', namespace: 'no-terminal-size' }));
    b.onLoad({ filter: /.*/, namespace: 'no-terminal-size' }, () => ({
      contents: 'export default function terminalSize() { return { columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }; }',
      loader: 'js',
    }));
  },
};

/** Ink's Output, which builds each frame's text cell by cell: src/tui/terminal/row-output.ts joins the rows' pieces. */
export const rowOutput = inFrontOfInk('row-output', './output.js', (real) =>
  [
    `import InkOutput from ${JSON.stringify(real)};`,
    `import stringWidth from 'string-width';`,
    `import { rowOutputClass } from ${source('tui', 'terminal', 'row-output.ts')};`,
    'export default rowOutputClass(InkOutput, stringWidth);',
  ].join('\n'),
);

/** Ink's sanitizer, which tokenizes every Text on every frame: src/tui/terminal/sgr-text.ts passes SGR-only text first. */
export const sgrText = inFrontOfInk('sgr-text', './sanitize-ansi.js', (real) =>
  [
    `import sanitizeAnsi from ${JSON.stringify(real)};`,
    `import { sgrTextFirst } from ${source('tui', 'terminal', 'sgr-text.ts')};`,
    'export default sgrTextFirst(sanitizeAnsi);',
  ].join('\n'),
);

/**
 * string-width segments any non-ASCII text into grapheme clusters and tests each against Unicode
 * property regexes: src/tui/terminal/text-width.ts measures the console's own text directly and hands
 * anything else to the string-width the importer would have had.
 */
export const fastWidth = {
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
        `import { fastStringWidth } from ${source('tui', 'terminal', 'text-width.ts')};`,
        'export default fastStringWidth(stringWidth, stripAnsi, eastAsianWidth);',
      ].join('\n'),
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** zod re-exports every locale's messages as a namespace (z.locales), so none can be shaken out: 260 KB. The console uses English. */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: 'js' }));
  },
};

/** The console's schemas (src/tui/client/wire-schemas.ts) come from their own code-cached CommonJS file beside the console's. */
export const cachedSchemas = {
  name: 'cached-schemas',
  setup(b) {
    b.onResolve({ filter: /^\.\/wire-schemas\.js$/ }, (args) =>
      args.importer.endsWith(`${path.sep}schemas.ts`) ? { path: 'wire-schemas', namespace: 'cached-schemas' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'cached-schemas' }, () => ({
      contents: [
        `import { loadCodeCached } from ${source('tui', 'code-cache.ts')};`,
        `module.exports = loadCodeCached(require('node:path').join(__dirname, 'schemas.cjs')).exports;`,
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** The program's console loader (src/tui/console-loader.ts) becomes one of the code-cached CommonJS copy beside the entry. */
export const cachedConsole = {
  name: 'cached-console',
  setup(b) {
    b.onResolve({ filter: /^\.\/console-loader\.js$/ }, () => ({ path: 'console-loader', namespace: 'cached-console' }));
    b.onLoad({ filter: /.*/, namespace: 'cached-console' }, () => ({
      contents: [
        `import { loadCodeCached } from ${source('tui', 'code-cache.ts')};`,
        `export async function loadConsole() { return loadCodeCached(new URL('./console.cjs', import.meta.url)).exports; }`,
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};
