import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheFileOf, loadCodeCached, makeCodeCache } from './code-cache.js';
import { repoRoot } from '../testing/hive.js';

test('a CommonJS file loads with the code cache made while warming it up; a foreign or missing cache only costs the compiling', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-code-cache-'));
  try {
    const file = path.join(dir, 'thing.cjs');
    fs.writeFileSync(file, "const path = require('node:path'); let warmed = 0; exports.base = path.basename(__filename); exports.warmUp = async () => { warmed++; }; exports.square = (n) => n * n;");
    assert.deepEqual(loadCodeCached<{ base: string }>(file).cache, 'missing');
    assert.ok((await makeCodeCache(file, 'warmUp')) > 0);
    const loaded = loadCodeCached<{ base: string; square: (n: number) => number }>(pathToFileURL(file));
    assert.equal(loaded.cache, 'accepted');
    assert.equal(loaded.exports.base, 'thing.cjs');
    assert.equal(loaded.exports.square(7), 49);
    // A file changed since its cache was made (V8 checks the source), and a cache that is not one.
    // (Each with a source not compiled before in this process: V8 keeps compiled scripts in memory too.)
    fs.appendFileSync(file, '\nexports.changed = true;');
    const stale = loadCodeCached<{ square: (n: number) => number; changed: boolean }>(file);
    assert.equal(stale.cache, 'rejected');
    assert.equal(stale.exports.square(3), 9);
    assert.equal(stale.exports.changed, true);
    fs.appendFileSync(file, '\nexports.again = true;');
    fs.writeFileSync(cacheFileOf(file), Buffer.from('not a code cache'));
    assert.equal(loadCodeCached(file).cache, 'rejected');
    await assert.rejects(makeCodeCache(file, 'nothing'), /exports no nothing\(\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const bundle = path.join(repoRoot, 'dist', 'bundle');
test('the bundle\'s code caches are taken under the flags the hyperhive-tui bin runs with', { skip: fs.existsSync(path.join(bundle, 'console.cjs')) ? false : 'no bundle built' }, () => {
  const shebang = fs.readFileSync(path.join(bundle, 'hyperhive-tui.mjs'), 'utf8').split('\n', 1)[0]!;
  const flags = /\bnode\b(.*)$/.exec(shebang)![1]!.trim().split(/\s+/);
  const probe = `const { loadCodeCached } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist', 'src', 'tui', 'code-cache.js')).href)});
    for (const name of ['schemas.cjs', 'console.cjs']) console.log(name, loadCodeCached(${JSON.stringify(bundle)} + '/' + name).cache);
    process.exit(0);`;
  const run = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'schemas.cjs accepted\nconsole.cjs accepted');
});
