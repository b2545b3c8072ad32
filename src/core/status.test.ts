import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentPageUrl, deriveStatusRow, foldLiveEvents, idleRuntime, needsUpdate, type StatusInputs } from './status.js';
import type { LiveEventInput } from '../protocol/index.js';

const base: StatusInputs = {
  name: 'iris',
  running: true,
  failed: false,
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

const heartbeat = (stagnant: number): LiveEventInput => ({
  kind: 'heartbeat',
  elapsed_secs: 10,
  stdout_bytes: 0,
  stdout_delta_bytes: 0,
  stagnant_heartbeats: stagnant,
  pid: 1,
  pid_alive: true,
});

test('folding: a turn state change sets the state and restarts the stagnant count; the input is not touched', () => {
  const before = { ...idleRuntime(100), stagnantHeartbeats: 4 };
  const folded = foldLiveEvents(before, [{ kind: 'turn_state_changed', state: 'thinking', since_unix: 150 }]);
  assert.equal(folded.changed, true);
  assert.deepEqual(folded.runtime, { turnState: 'thinking', turnStateSince: 150, stagnantHeartbeats: 0 });
  assert.deepEqual(before, { ...idleRuntime(100), stagnantHeartbeats: 4 }, 'pure: the old runtime is unchanged');
});

test('folding: heartbeats carry the stagnant count, a turn end clears it, a repeat changes nothing', () => {
  const thinking = { ...idleRuntime(100), turnState: 'thinking' as const };
  const stagnant = foldLiveEvents(thinking, [heartbeat(1), heartbeat(2)]);
  assert.deepEqual([stagnant.changed, stagnant.runtime.stagnantHeartbeats], [true, 2]);
  const same = foldLiveEvents(stagnant.runtime, [heartbeat(2), { kind: 'note', text: 'hi' } as LiveEventInput]);
  assert.equal(same.changed, false);
  assert.equal(same.runtime, stagnant.runtime, 'nothing changed: the same runtime back');
  const ended = foldLiveEvents(stagnant.runtime, [{ kind: 'turn_end', ok: true }]);
  assert.deepEqual([ended.changed, ended.runtime.stagnantHeartbeats], [true, 0]);
});

test('folding: the context size follows token usage; a model change is reported', () => {
  const usage = (context_tokens?: number): LiveEventInput => ({
    kind: 'token_usage_changed',
    usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...(context_tokens === undefined ? {} : { context_tokens }) },
  });
  const first = foldLiveEvents(idleRuntime(1), [usage(18_000)]);
  assert.deepEqual([first.changed, first.runtime.contextTokens], [true, 18_000]);
  assert.equal(foldLiveEvents(first.runtime, [usage(18_000)]).changed, false);
  assert.equal(foldLiveEvents(first.runtime, [usage()]).changed, false, 'usage without a context size keeps the last one');
  const switched = foldLiveEvents(first.runtime, [{ kind: 'model_changed', model: 'opus' }, { kind: 'model_changed', model: 'sonnet' }]);
  assert.deepEqual([switched.changed, switched.model], [true, 'sonnet']);
  assert.equal(foldLiveEvents(first.runtime, [usage(1)]).model, undefined);
});

test('the stall rule: stagnant heartbeats of a running turn reach the threshold, a new turn state clears it', () => {
  let runtime = foldLiveEvents(idleRuntime(1), [{ kind: 'turn_state_changed', state: 'compacting', since_unix: 2 }]).runtime;
  runtime = foldLiveEvents(runtime, [heartbeat(1), heartbeat(2), heartbeat(3)]).runtime;
  assert.equal(deriveStatusRow({ ...base, runtime }).stalled, true);
  assert.equal(deriveStatusRow({ ...base, runtime, stallHeartbeats: 4 }).stalled, false, 'below a higher threshold');
  assert.equal(deriveStatusRow({ ...base, runtime, running: false }).stalled, false, 'a stopped agent is not stalled');
  runtime = foldLiveEvents(runtime, [{ kind: 'turn_state_changed', state: 'thinking', since_unix: 3 }]).runtime;
  assert.equal(deriveStatusRow({ ...base, runtime }).stalled, false);
});

test('an agent\'s page URL exists only when the hive has a domain', () => {
  assert.equal(agentPageUrl('hive.example.org', 'iris'), 'https://hive.example.org/agent/iris/');
  assert.equal(agentPageUrl(null, 'iris'), undefined);
});

test('a pause carries its reason; a pause for want of a login is needs_login', () => {
  const running = deriveStatusRow(base);
  assert.equal(running.paused, false);
  assert.equal(running.pause_reason, undefined);
  assert.equal(running.needs_login, false);
  const budget = deriveStatusRow({ ...base, pauseReason: { kind: 'budget', text: 'spent $5.01 today, its daily budget is $5.00', since: 100 } });
  assert.equal(budget.paused, true);
  assert.equal(budget.pause_reason?.kind, 'budget');
  assert.equal(budget.needs_login, false);
  const login = deriveStatusRow({ ...base, pauseReason: { kind: 'login', text: 'claude is not logged in', since: 100 } });
  assert.deepEqual([login.paused, login.needs_login], [true, true]);
});

test('needs_update: a running agent whose session started on another commit than the deployed one', () => {
  const deployed = 'a'.repeat(40);
  assert.equal(needsUpdate(true, deployed, 'b'.repeat(40)), true, 'an approved commit it is not yet running');
  assert.equal(needsUpdate(true, deployed, undefined), true, 'a session started before any commit was known');
  assert.equal(needsUpdate(true, deployed, deployed), false, 'it runs what was approved');
  assert.equal(needsUpdate(false, deployed, 'b'.repeat(40)), false, 'a stopped agent starts on the deployed commit');
  assert.equal(needsUpdate(true, undefined, undefined), false, 'nothing deployed yet');
});
