// End-to-end: the manager's config tools through the real MCP server (hyperhive-agent mcp over
// stdio, the official SDK client) against a real core: a refusal reaches the manager as a tool
// error carrying the core's sentence, and nothing is queued.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startCore } from '../testing/hive.js';
import { commitChange, proposedRepo } from '../testing/config-hive.js';
import { AGENT_MAIN } from './test-paths.js';

test('request_apply_commit and config_repo through the manager\'s MCP tools: results, and refusals as tool errors with the sentence', async () => {
  const core = await startCore({ config: { manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' } } } });
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_MAIN, 'mcp', '--socket', core.agentSocket('manager'), '--name', 'manager', '--manager'], stderr: 'ignore' });
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await client.callTool({ name, arguments: args });
    return { isError: res.isError === true, text: (res.content as { text: string }[]).map((c) => c.text).join('') };
  };
  try {
    const where = await call('config_repo', { agent: 'iris' });
    assert.equal(where.isError, false, where.text);
    assert.equal((JSON.parse(where.text) as { path: string }).path, proposedRepo(core, 'iris'));

    const broken = commitChange(core, 'iris', { agentJson: { model: '' } });
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ agent: 'iris', commit_ref: 'HEAD~1' }, /^request_apply_commit: bad request_apply_commit request: field "commit_ref": expected a commit id of 7 to 40 hex digits/],
      [{ agent: 'iris', commit_ref: 'abcdef0123' }, /^request_apply_commit: abcdef0123 is not a commit of iris's proposed config repo \(commit it there first\)$/],
      [{ agent: 'iris', commit_ref: broken }, /^request_apply_commit: agent\.json field "model": .* \(at [0-9a-f]{12}\)$/],
      [{ agent: 'nobody', commit_ref: broken }, /^request_apply_commit: no agent named "nobody"$/],
    ];
    for (const [args, sentence] of refusals) {
      const res = await call('request_apply_commit', args);
      assert.equal(res.isError, true, JSON.stringify(args));
      assert.match(res.text, sentence);
    }
    assert.deepEqual((await core.request<{ approvals: unknown[] }>({ cmd: 'pending' })).approvals, [], 'nothing was queued');

    const good = commitChange(core, 'iris', { agentJson: { model: 'sonnet' } });
    const queued = await call('request_apply_commit', { agent: 'iris', commit_ref: good.slice(0, 7), description: 'sonnet' });
    assert.equal(queued.isError, false, queued.text);
    assert.deepEqual(JSON.parse(queued.text), { ok: true, id: 1 });
  } finally {
    await client.close();
    await core.cleanup();
  }
});
