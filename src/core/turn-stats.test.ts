// Turn stats on an in-memory store: identity from the caller, unreadable stored rows never shown half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnStats } from './turn-stats.js';
import { testPorts } from './testing/service-ports.js';
import type { TurnStatInput } from '../protocol/index.js';

const ROW: TurnStatInput = {
  model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: 10, ended_at: 20, duration_ms: 10_000,
  input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 4,
  tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0,
};

test('a row is stored with the store\'s id and the caller\'s agent, whatever keys it smuggles in', () => {
  const ports = testPorts({ agents: { alice: {}, bob: {} } });
  const stats = new TurnStats(ports);
  const stored = stats.record('alice', { ...ROW, agent: 'bob', id: 999 } as TurnStatInput);
  assert.equal(stored.agent, 'alice');
  assert.notEqual(stored.id, 999);
  const [row] = ports.db.prepare('SELECT id, agent, row_json FROM turn_stats').all() as { id: number; agent: string; row_json: string }[];
  assert.deepEqual([row!.id, row!.agent, JSON.parse(row!.row_json).id, JSON.parse(row!.row_json).agent], [stored.id, 'alice', stored.id, 'alice']);
  assert.equal(stats.lastTurn('bob'), undefined);
});

test('stored rows that cannot be read (an older core\'s "{}") are left out, never listed half', () => {
  const ports = testPorts({ agents: { alice: {} } });
  ports.db.prepare("INSERT INTO turn_stats (agent, ended_at, row_json) VALUES ('alice', 1, '{}'), ('alice', 2, 'not json')").run();
  const stats = new TurnStats(ports);
  assert.equal(stats.lastTurn('alice'), undefined);
  const good = stats.record('alice', ROW);
  assert.deepEqual(stats.list(undefined, 10, undefined).items.map((s) => [s.id, s.agent]), [[good.id, 'alice']]);
  assert.deepEqual(new TurnStats(ports).lastTurn('alice'), { ended_at: 20, duration_ms: 10_000, result_kind: 'ok' });
});
