import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseCli } from './main.js';
import { AGENT_MAIN } from './test-paths.js';

test('cli: a good run line parses', () => {
  assert.deepEqual(parseCli(['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--model', 'sonnet', '--command', '["node","x.mjs"]', '--manager']), {
    ok: true, mode: 'run', name: 'iris', socket: '/s', stateDir: '/d', model: 'sonnet', command: ['node', 'x.mjs'], manager: true,
  });
  assert.deepEqual(parseCli(['mcp', '--socket', '/s', '--name', 'iris']), { ok: true, mode: 'mcp', name: 'iris', socket: '/s', manager: false });
});

test('cli: bad lines get one sentence each', () => {
  const cases: [string[], RegExp][] = [
    [['frob'], /unknown command "frob"/],
    [['run', '--socket', '/s', '--state-dir', '/d'], /--name is required/],
    [['run', '--name', '../etc', '--socket', '/s', '--state-dir', '/d'], /--name: agent name/],
    [['run', '--name', 'iris', '--state-dir', '/d'], /--socket is required/],
    [['run', '--name', 'iris', '--socket', '/s'], /--state-dir is required/],
    [['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--command', 'claude'], /JSON array/],
    [['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--command', '[]'], /non-empty JSON array/],
    [['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--bogus'], /unknown option --bogus/],
  ];
  for (const [argv, re] of cases) {
    const parsed = parseCli(argv);
    assert.equal(parsed.ok, false, argv.join(' '));
    assert.match((parsed as { error: string }).error, re);
  }
});

test('cli: bad flags exit 2 with one line on stderr, and start nothing', () => {
  const r = spawnSync(process.execPath, [AGENT_MAIN, 'run', '--name', 'iris'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^hyperhive-agent: --socket is required/);
});

test('cli: extra MCP servers from the agent config reach the MCP config beside the hive server, never replacing it', async () => {
  const { mcpConfig } = await import('./mcp-config.js');
  const parsed = parseCli(['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--extra-mcp-servers', '{"search":{"type":"stdio","command":"search-mcp"}}']);
  assert.ok(parsed.ok && parsed.mode === 'run');
  const config = mcpConfig({ name: 'iris', socketPath: '/s', manager: false, agentEntry: '/a.js', extraServers: (parsed as { extraMcpServers: Record<string, unknown> }).extraMcpServers });
  assert.deepEqual(Object.keys(config.mcpServers).sort(), ['hyperhive', 'search']);
  assert.deepEqual(config.mcpServers.search, { type: 'stdio', command: 'search-mcp' });
  for (const bad of ['[1]', 'nope', '{"hyperhive":{"command":"evil"}}', '{"x":3}']) {
    const res = parseCli(['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--extra-mcp-servers', bad]);
    assert.equal(res.ok, false, bad);
    assert.match((res as { error: string }).error, /^--extra-mcp-servers: /);
  }
});

test('cli: --version and help, flags anywhere, no stray arguments', () => {
  assert.deepEqual(parseCli(['--version']), { ok: true, mode: 'version' });
  assert.deepEqual(parseCli([]), { ok: true, mode: 'help' });
  assert.deepEqual(parseCli(['run', '--help']), { ok: true, mode: 'help' });
  assert.deepEqual(parseCli(['--socket', '/s', 'mcp', '--name', 'iris']), { ok: true, mode: 'mcp', name: 'iris', socket: '/s', manager: false });
  assert.deepEqual(parseCli(['mcp', 'extra', '--socket', '/s', '--name', 'iris']), { ok: false, error: 'unexpected argument "extra"' });
  assert.deepEqual(parseCli(['run', '--name', 'iris', '--socket', '/s', '--state-dir', '/d', '--manager=yes']), { ok: false, error: '--manager takes no value' });
});
