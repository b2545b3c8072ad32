#!/usr/bin/env node
// Runs every compiled test file under dist/ with node's test runner.
// Usage: node scripts/run-tests.mjs [path-prefix…]   e.g. `src/core` to run only the core's tests.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const prefixes = process.argv.slice(2).map((p) => p.replace(/^\.\//, '').replace(/\.tsx?$/, ''));

function walk(dir, out) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.test\.js$/.test(entry)) out.push(full);
  }
  return out;
}

const files = walk(dist, [])
  .filter((f) => prefixes.length === 0 || prefixes.some((p) => relative(dist, f).startsWith(p)))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/ — run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
