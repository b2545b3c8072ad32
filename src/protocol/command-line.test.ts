import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagName, packageVersion, parseCommandLine } from './command-line.js';

const FLAGS = {
  json: { type: 'boolean' },
  socket: { type: 'string', shortFlag: 's' },
  limit: { type: 'number' },
  markRead: { type: 'boolean' },
  color: { type: 'boolean', default: true },
} as const;

function flags(...argv: string[]) {
  const parsed = parseCommandLine(argv, FLAGS);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed;
}

function problem(...argv: string[]): string {
  const parsed = parseCommandLine(argv, FLAGS);
  assert.equal(parsed.ok, false, `expected ${JSON.stringify(argv)} to be refused`);
  return (parsed as { error: string }).error;
}

test('flags come out typed, kebab-case on the line and camel-case in the result; absent ones are undefined', () => {
  const parsed = flags('pending', '--limit', '5', '--mark-read', '--socket=/x.sock', 'more');
  assert.deepEqual(parsed.input, ['pending', 'more']);
  assert.equal(parsed.flags.limit, 5);
  assert.equal(parsed.flags.markRead, true);
  assert.equal(parsed.flags.socket, '/x.sock');
  assert.equal(parsed.flags.json, undefined);
  assert.equal(parsed.flags.color, true);
  assert.equal(flags('--no-color').flags.color, false);
  assert.equal(flags('-s', '/y.sock').flags.socket, '/y.sock');
  assert.equal(flags('-h').flags.help, true);
  assert.equal(flags('--version').flags.version, true);
  assert.equal(flagName('extraMcpServers'), 'extra-mcp-servers');
});

test('after --, and a lone -, everything is a positional', () => {
  assert.deepEqual(flags('send', 'iris', '--', '-v', '--json', 'x').input, ['send', 'iris', '-v', '--json', 'x']);
  assert.equal(flags('send', 'iris', '--', '--json').flags.json, undefined);
  assert.deepEqual(flags('answer', '3', '-').input, ['answer', '3', '-']);
});

test('what meow alone would let through is refused with a sentence', () => {
  assert.equal(problem('--bogus'), 'unknown option --bogus');
  assert.equal(problem('status', '--bogus=1'), 'unknown option --bogus');
  assert.equal(problem('-x'), 'unknown option -x');
  assert.equal(problem('approve', '-1'), 'unknown option -1');
  assert.equal(problem('--markRead'), 'unknown option --markRead');
  assert.equal(problem('--no-socket', 'x'), 'unknown option --no-socket');
  assert.equal(problem('--json=1'), '--json takes no value');
  assert.equal(problem('--socket'), '--socket needs a value');
  assert.equal(problem('--socket', '--json'), '--socket needs a value');
  assert.equal(problem('--limit', 'abc'), '--limit takes a number, not "abc"');
  assert.equal(problem('--limit='), '--limit takes a number, not ""');
  assert.match(problem('--socket', 'a', '--socket', 'b'), /--socket can only be set once/);
});

test('parsing leaves the process command line alone (meow would retitle the process)', () => {
  const before = fs.readFileSync('/proc/self/cmdline', 'utf8');
  flags('--json');
  assert.equal(fs.readFileSync('/proc/self/cmdline', 'utf8'), before);
});

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const PROGRAMS = {
  'hyperhive-core': path.join(repoRoot, 'dist/src/core/main.js'),
  'hyperhive-agent': path.join(repoRoot, 'dist/src/agent/main.js'),
  'hyperhive-tui': path.join(repoRoot, 'dist/bundle/hyperhive-tui.mjs'),
  hyperhive: path.join(repoRoot, 'dist/src/cli/main.js'),
};

test('every program prints its version and help, and refuses an unknown flag with a sentence and exit 2', () => {
  const version = packageVersion();
  assert.match(version, /^\d+\.\d+\.\d+/);
  for (const [name, entry] of Object.entries(PROGRAMS)) {
    const run = (...args: string[]) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { ...process.env, HYPERHIVE_SOCKET: '/nonexistent/host.sock' } });
    const v = run('--version');
    assert.equal(v.status, 0, `${name} --version: ${v.stderr}`);
    assert.equal(v.stdout, `${name} ${version}\n`);
    const help = run('--help');
    assert.equal(help.status, 0, `${name} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`usage:[\\s\\S]*${name}`));
    const bad = run('--bogus');
    assert.equal(bad.status, 2, `${name} --bogus`);
    assert.match(bad.stderr, new RegExp(`^${name}: unknown option --bogus\\n`));
    assert.equal(bad.stdout, '');
  }
});
