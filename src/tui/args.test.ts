import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTuiArgs } from './args.js';
import { usualTuiArgs } from './usual-args.js';

test('arguments: socket resolution, read-only by socket name, NO_COLOR, unknown flags', () => {
  const ok = parseTuiArgs(['--socket', '/r/host-ro.sock', '--no-bell'], {});
  assert.deepEqual(ok, { ok: true, options: { socketPath: '/r/host-ro.sock', readOnly: true, color: true, bell: false, mouse: true, demo: false } });
  const env = parseTuiArgs([], { HYPERHIVE_SOCKET: '/e/host.sock', NO_COLOR: '1' });
  assert.deepEqual(env, { ok: true, options: { socketPath: '/e/host.sock', readOnly: false, color: false, bell: true, mouse: true, demo: false } });
  const bad = parseTuiArgs(['--frob'], {});
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /unknown option --frob[\s\S]*usage: hyperhive-tui/);
  assert.deepEqual(parseTuiArgs(['--help'], {}), { ok: 'help' });
});

test('arguments: --version, a stray positional, an empty socket', () => {
  assert.deepEqual(parseTuiArgs(['--version'], {}), { ok: 'version' });
  assert.match((parseTuiArgs(['host.sock'], {}) as { error: string }).error, /^unexpected argument "host.sock"/);
  assert.deepEqual(parseTuiArgs(['--socket', ''], {}), { ok: false, error: '--socket needs a path' });
  assert.match((parseTuiArgs(['--read-only=1'], {}) as { error: string }).error, /^--read-only takes no value/);
});

test('the usual-line reader answers exactly as meow does, and leaves every other line to it', () => {
  const env = { HYPERHIVE_SOCKET: '/e/host.sock' };
  const usual = [
    [],
    ['--socket', '/r/host.sock'],
    ['--socket', '/r/host-ro.sock'],
    ['--read-only'],
    ['--no-color', '--no-bell', '--read-only', '--socket', '/x.sock'],
    ['--no-bell', '--socket', 'relative.sock'],
    ['--no-mouse'],
    ['--demo', '--socket', '/r/host.sock', '--no-mouse'],
  ];
  for (const argv of usual) {
    const fast = usualTuiArgs(argv, env);
    assert.ok(fast, `${JSON.stringify(argv)} is a usual line`);
    assert.deepEqual({ ok: true, options: fast }, parseTuiArgs(argv, env), JSON.stringify(argv));
  }
  assert.deepEqual(usualTuiArgs([], { NO_COLOR: '1', HYPERHIVE_SOCKET: '/e/host.sock' })?.color, false);
  const others = [['--help'], ['-h'], ['--version'], ['--frob'], ['--socket'], ['--socket', ''], ['--socket', '--read-only'], ['--socket=/x.sock'], ['--read-only', '--read-only'], ['--color'], ['--mouse'], ['--no-demo'], ['x']];
  for (const argv of others) assert.equal(usualTuiArgs(argv, env), undefined, JSON.stringify(argv));
});

test('--no-mouse turns wheel reporting off; --demo marks the demo\'s console', () => {
  const parsed = parseTuiArgs(['--no-mouse', '--demo'], { HYPERHIVE_SOCKET: '/e/host.sock' });
  assert.deepEqual(parsed, { ok: true, options: { socketPath: '/e/host.sock', readOnly: false, color: true, bell: true, mouse: false, demo: true } });
  assert.match((parseTuiArgs(['--no-mouse=1'], {}) as { error: string }).error, /^--no-mouse takes no value|--mouse/);
});

test('arguments: --url with --token-file, --context, and the combinations that name two hives', () => {
  assert.deepEqual(parseTuiArgs(['--url', 'http://127.0.0.1:7000/', '--token-file', '/t'], { HYPERHIVE_SOCKET: '/e/host.sock' }), {
    ok: true,
    options: { socketPath: '/e/host.sock', readOnly: false, color: true, bell: true, mouse: true, demo: false, url: 'http://127.0.0.1:7000', tokenFile: '/t' },
  });
  assert.deepEqual(parseTuiArgs(['--context', 'prod'], { HYPERHIVE_SOCKET: '/e/host.sock' }), { ok: true, options: { socketPath: '/e/host.sock', readOnly: false, color: true, bell: true, mouse: true, demo: false, context: 'prod' } });
  const error = (argv: string[]) => (parseTuiArgs(argv, {}) as { error: string }).error;
  assert.equal(error(['--url', 'http://h:1', '--socket', '/s']), '--socket and --url each name a hive; give one');
  assert.equal(error(['--url', 'http://h:1', '--context', 'x']), '--url and --context each name a hive; give one');
  assert.equal(error(['--token-file', '/t']), '--token-file goes with --url (a context names its own token file)');
  assert.match(error(['--url', 'ftp://h']), /^--url: ftp:\/\/h: expected an http:\/\/ or https:\/\/ URL/);
  assert.match(error(['--url', 'http://u:p@h:1']), /put the token in a file/);
  assert.equal(usualTuiArgs(['--url', 'http://h:1'], {}), undefined, 'meow reads these lines');
});
