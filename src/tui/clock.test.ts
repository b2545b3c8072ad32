import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockPeriodMs, dataNowMs, FAST_TICK_MS, SLOW_TICK_MS } from './clock.js';
import { initialHiveState } from './client/hive-state.js';
import { agentRow, operatorMessage, question } from './testing/fixtures.js';

const live = { phase: 'live' as const, where: '/s', readOnly: false };

test('while not live the data is drawn at the moment it went stale', () => {
  assert.equal(dataNowMs(5000, { phase: 'live' }), 5000);
  assert.equal(dataNowMs(5000, { phase: 'reconnecting', staleSince: 1000 }), 1000);
  assert.equal(dataNowMs(5000, { phase: 'connecting' }), 5000, 'no data yet: nothing to freeze');
});

test('the clock ticks only while something on screen moves with time', () => {
  const s = { ...initialHiveState('/s', false), connection: live };
  assert.equal(clockPeriodMs('agents', { ...s, agents: { a: agentRow('a') } }), undefined, 'an idle roster: no clock frames');
  assert.equal(clockPeriodMs('agents', { ...s, agents: { a: agentRow('a', { turn_state: 'thinking', turn_state_since: 1 }) } }), SLOW_TICK_MS);
  assert.equal(clockPeriodMs('agents', { ...s, agents: { a: agentRow('a') }, transients: { a: { kind: 'starting', since: 1 } } }), FAST_TICK_MS);
  assert.equal(clockPeriodMs('stream', { ...s, agents: { a: agentRow('a', { turn_state: 'thinking' }) } }), undefined);
  assert.equal(clockPeriodMs('attention', s), undefined);
  assert.equal(clockPeriodMs('agents', { ...s, agents: { a: agentRow('a') }, questions: { 7: question(7, { deadline_at: 100 }) } }), SLOW_TICK_MS, "a question's deadline counts down on the roster");
  assert.equal(clockPeriodMs('inbox', s), undefined);
  assert.equal(clockPeriodMs('inbox', { ...s, operatorInbox: [operatorMessage(9)] }), SLOW_TICK_MS, 'ages in the inbox');
  assert.equal(clockPeriodMs('agents', { ...s, connection: { ...live, phase: 'reconnecting', nextTryAt: 1, staleSince: 1 }, agents: { a: agentRow('a', { turn_state: 'thinking' }) } }), SLOW_TICK_MS, 'not live: the header counts down');
  assert.equal(clockPeriodMs('agents', { ...s, connection: { ...live, phase: 'incompatible' } }), undefined);
});
