import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveStatusRow, idleRuntime, type StatusInputs } from './status.js';

const base: StatusInputs = {
  name: 'iris',
  running: true,
  failed: false,
  paused: false,
  model: 'haiku',
  unread: 2,
  pendingReminders: 1,
  runtime: { ...idleRuntime(100), turnState: 'thinking', turnStateSince: 120, stagnantHeartbeats: 0 },
  stallHeartbeats: 3,
  statusText: 'reading the logs',
  statusSetAt: '2026-11-21T05:00:00Z',
};

test('status text and turn state show only while running', () => {
  const running = deriveStatusRow(base);
  assert.equal(running.status_text, 'reading the logs');
  assert.equal(running.status_set_at, '2026-11-21T05:00:00Z');
  assert.equal(running.turn_state, 'thinking');
  const stopped = deriveStatusRow({ ...base, running: false });
  assert.equal(stopped.status_text, undefined);
  assert.equal(stopped.status_set_at, undefined);
  assert.equal(stopped.turn_state, 'idle');
});

test('stalled after the configured number of stagnant heartbeats during a turn', () => {
  assert.equal(deriveStatusRow({ ...base, runtime: { ...base.runtime, stagnantHeartbeats: 2 } }).stalled, false);
  assert.equal(deriveStatusRow({ ...base, runtime: { ...base.runtime, stagnantHeartbeats: 3 } }).stalled, true);
  const idle = { ...base.runtime, turnState: 'idle' as const, stagnantHeartbeats: 9 };
  assert.equal(deriveStatusRow({ ...base, runtime: idle }).stalled, false);
});

test('counts, transient and last turn are carried through', () => {
  const row = deriveStatusRow({
    ...base,
    parent: 'boss',
    transient: 'restarting',
    lastTurn: { ended_at: 5, duration_ms: 1200, cost_usd: 0.01, result_kind: 'ok' },
  });
  assert.equal(row.unread, 2);
  assert.equal(row.pending_reminders, 1);
  assert.equal(row.parent, 'boss');
  assert.equal(row.transient, 'restarting');
  assert.deepEqual(row.last_turn, { ended_at: 5, duration_ms: 1200, cost_usd: 0.01, result_kind: 'ok' });
});
