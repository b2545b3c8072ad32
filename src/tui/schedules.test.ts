import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDue, parseScheduleArgs, scheduleList, scheduleState } from './schedules.js';
import type { Schedule } from '../protocol/index.js';

const schedule = (id: number, over: Partial<Schedule> = {}): Schedule => ({
  id, target: 'iris', prompt: 'p', tz: 'Europe/Berlin', catch_up: false, state: 'active', approval_id: id, proposed_by: 'alice', proposed_at: 0, fired: 0, missed: 0, ...over,
});

test(':schedule reads an agent, an interval or five cron fields, options, then the prompt as typed', () => {
  assert.deepEqual(parseScheduleArgs('iris every 15m check the build'), { to: 'iris', every_seconds: 900, prompt: 'check the build' });
  assert.deepEqual(parseScheduleArgs('iris 2h  two  spaces kept'), { to: 'iris', every_seconds: 7200, prompt: 'two  spaces kept' });
  assert.deepEqual(parseScheduleArgs('iris 0 9 * * 1-5 tz=Europe/Berlin catch-up Write the stand-up notes.'), {
    to: 'iris', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', catch_up: true, prompt: 'Write the stand-up notes.',
  });
  assert.match((parseScheduleArgs('') as { error: string }).error, /^which agent\? :schedule AGENT/);
  assert.match((parseScheduleArgs('iris 0 9 *') as { error: string }).error, /^when\?/);
  assert.match((parseScheduleArgs('iris every 15m') as { error: string }).error, /^what prompt\?/);
  assert.match((parseScheduleArgs('iris 0 9 * * 1-5 tz=UTC') as { error: string }).error, /^what prompt\?/);
});

test('the list: active by next slot, then paused, proposed, and ended ones newest first', () => {
  const rows = scheduleList({
    1: schedule(1, { state: 'ended', ended_at: 10 }),
    2: schedule(2, { next_due_at: 500 }),
    3: schedule(3, { state: 'proposed' }),
    4: schedule(4, { next_due_at: 100 }),
    5: schedule(5, { state: 'paused', paused_by: 'bob' }),
    6: schedule(6, { state: 'ended', ended_at: 20 }),
  });
  assert.deepEqual(rows.map((s) => s.id), [4, 2, 5, 3, 6, 1]);
  assert.equal(scheduleState(rows[2]!), 'paused (bob)');
});

test('the next slot in the schedule\'s own zone, and how far off', () => {
  const monday9 = Date.parse('2026-05-04T07:00:00Z') / 1000;
  assert.equal(nextDue(schedule(1, { next_due_at: monday9 }), monday9 - 3 * 3600), 'Mon 2026-05-04 09:00 CEST (in 3h)');
  assert.equal(nextDue(schedule(1, { next_due_at: monday9, tz: 'UTC' }), monday9 + 120), 'Mon 2026-05-04 07:00 UTC (2m late)');
  assert.equal(nextDue(schedule(1, { state: 'paused' }), monday9), '-');
});
