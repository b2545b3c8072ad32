#!/usr/bin/env node
// Runs every compiled benchmark (dist/bench/*.js, top level only; helpers live in subfolders) in turn.
// Usage: node scripts/run-bench.mjs [name-prefix…]   e.g. `core-status`. Exit 1 when any benchmark missed its target.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'dist', 'bench');
const prefixes = process.argv.slice(2);
if (!existsSync(benchDir)) {
  console.error('no dist/bench — run `npm run build` first');
  process.exit(2);
}
const files = readdirSync(benchDir, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.js') && !e.name.endsWith('.test.js'))
  .map((e) => e.name)
  .filter((name) => prefixes.length === 0 || prefixes.some((p) => name.startsWith(p)))
  .sort();
if (files.length === 0) {
  console.error('no benchmarks found under dist/bench');
  process.exit(2);
}
let worst = 0;
for (const name of files) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [join(benchDir, name)], { stdio: 'inherit' });
  const status = result.status ?? 2;
  if (status !== 0) console.log(`== ${name} exited with ${status}`);
  worst = Math.max(worst, status);
}
process.exit(worst === 0 ? 0 : 1);
