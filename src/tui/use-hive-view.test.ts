import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewDependencies } from './use-hive-view.js';
import { hiveReducer, initialHiveState, type HiveState } from './client/hive-state.js';
import { agentRow, snapshot } from './testing/fixtures.js';

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const withRow = (s: HiveState, row: ReturnType<typeof agentRow>, seq: number) => hiveReducer(s, { type: 'dashboard', event: { kind: 'agent_status', seq, at: 0, row } });

test('off the roster, a roster change redraws only when the header\'s counts change', () => {
  const s0 = hiveReducer(initialHiveState('/x', false), { type: 'snapshot', snapshot: snapshot() });
  const statusOnly = withRow(s0, agentRow('iris', { parent: 'manager', status_text: 'reading', status_set_at: new Date().toISOString() }), 11);
  assert.ok(same(viewDependencies(s0, 'stream', ['iris']), viewDependencies(statusOnly, 'stream', ['iris'])), 'a status text change draws no frame on a stream');
  assert.ok(!same(viewDependencies(s0, 'agents', []), viewDependencies(statusOnly, 'agents', [])), 'the roster draws it');
  const thinking = withRow(s0, agentRow('iris', { parent: 'manager', turn_state: 'thinking' }), 11);
  assert.ok(!same(viewDependencies(s0, 'stream', ['iris']), viewDependencies(thinking, 'stream', ['iris'])), 'turns running is in the header');
});
