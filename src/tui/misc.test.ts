import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentState, formatAge, formatCost, formatDuration, formatTokens, groupByParent } from './format.js';
import { nextAgentFilter, statsRows, totalsByAgent } from './stats.js';
import { parseDiff } from './diff.js';
import { agentRow, turnStat } from './testing/fixtures.js';

test('state follows hyperhive precedence: failed > needs login > paused > stopped > running', () => {
  assert.equal(agentState({ failed: true, needs_login: true, paused: true, running: false }), 'failed');
  assert.equal(agentState({ failed: false, needs_login: true, paused: true, running: false }), 'needs login');
  assert.equal(agentState({ failed: false, needs_login: false, paused: true, running: false }), 'paused');
  assert.equal(agentState({ failed: false, needs_login: false, paused: false, running: false }), 'stopped');
  assert.equal(agentState({ failed: false, needs_login: false, paused: false, running: true }), 'running');
});

test('formatters', () => {
  assert.equal(formatAge(59), '59s');
  assert.equal(formatAge(3600), '1h');
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(245_000), '4m05s');
  assert.equal(formatTokens(12_345), '12k');
  assert.equal(formatTokens(1234), '1.2k');
  assert.equal(formatCost(0.01234), '$0.0123');
  assert.equal(formatCost(undefined), '-');
});

test('roster groups children under their parent', () => {
  const rows = groupByParent([agentRow('b', { parent: 'm' }), agentRow('m'), agentRow('a', { parent: 'm' }), agentRow('z')]);
  assert.deepEqual(rows.map((r) => `${r.depth}${r.row.name}`), ['0m', '1a', '1b', '0z']);
  const cyc = groupByParent([agentRow('x', { parent: 'y' }), agentRow('y', { parent: 'x' })]);
  assert.equal(cyc.length, 2, 'a parent cycle still lists everyone once');
});

test('stats sort, filter and total per agent', () => {
  const rows = [turnStat(1), turnStat(2, { agent: 'bob', cost_usd: 1 }), turnStat(3)];
  assert.deepEqual(statsRows(rows, { sort: 'time', desc: true }).map((r) => r.id), [1, 2, 3], 'ended_at = now - id: newest is id 1');
  assert.deepEqual(statsRows(rows, { sort: 'cost', desc: true }).map((r) => r.id), [2, 3, 1]);
  assert.deepEqual(statsRows(rows, { sort: 'time', desc: true, agent: 'bob' }).map((r) => r.id), [2]);
  const totals = totalsByAgent(rows);
  assert.equal(totals[0]!.agent, 'bob');
  assert.equal(totals[1]!.turns, 2);
  assert.equal(nextAgentFilter(undefined, ['a', 'b']), 'a');
  assert.equal(nextAgentFilter('b', ['a', 'b']), undefined);
});

test('diff lines are classified', () => {
  assert.deepEqual(parseDiff('diff --git a/x b/x\n@@ -1 +1 @@\n-old\n+new\n ctx\n').map((l) => l.kind), ['file', 'hunk', 'del', 'add', 'context']);
});

test('the console speaks the protocol version of src/protocol', async () => {
  const { CONSOLE_PROTOCOL_VERSION } = await import('./client/hive-client.js');
  const { PROTOCOL_VERSION } = await import('../protocol/index.js');
  assert.equal(CONSOLE_PROTOCOL_VERSION, PROTOCOL_VERSION);
});
