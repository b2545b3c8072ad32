// The schedules view's keys, pure: pause/resume and delete confirm first, `:schedule` proposes, the roster sorts by CPU and memory where sampled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialUiState, type UiState } from './ui-state.js';
import { ENTER, ESC, envOf, hive, press, requests } from '../testing/dispatch-env.js';
import { agentRow } from '../testing/fixtures.js';
import type { Schedule } from '../../protocol/index.js';

const schedule = (id: number, over: Partial<Schedule> = {}): Schedule => ({
  id, target: 'iris', prompt: 'p', tz: 'UTC', catch_up: false, state: 'active', approval_id: id + 10, proposed_by: 'alice', proposed_at: 0, fired: 0, missed: 0, ...over,
});
const typed = (text: string) => [...text];
const schedulesUi = (): UiState => ({ ...initialUiState(), view: 'schedules' });
const promptOf = (ui: UiState) => (ui.modal as { prompt?: string } | undefined)?.prompt;

test('5 opens the schedules view; p pauses an active schedule and resumes a paused one, each after y', () => {
  const env = envOf(hive({ agents: [agentRow('iris')] }), { schedules: [schedule(2), schedule(4, { state: 'paused' })] });
  assert.equal(press(initialUiState(), env, '5').ui.view, 'schedules');
  const asked = press(schedulesUi(), env, 'p');
  assert.equal(promptOf(asked.ui), 'pause schedule #2 (→ iris)?');
  assert.deepEqual(asked.effects, [], 'nothing is sent before y');
  assert.deepEqual(requests(press(asked.ui, env, ENTER).effects), [], 'the default is no');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'set_schedule_paused', id: 2, paused: true }]);
  const resumed = press(schedulesUi(), env, 'j', 'p');
  assert.equal(promptOf(resumed.ui), 'resume schedule #4 (→ iris)?');
  assert.deepEqual(requests(press(resumed.ui, env, 'y').effects), [{ cmd: 'set_schedule_paused', id: 4, paused: false }]);
});

test('x deletes the selected schedule after y; an ended one, or pausing a proposal, is refused with a sentence', () => {
  const env = envOf(hive(), { schedules: [schedule(2, { state: 'proposed' }), schedule(3, { state: 'ended' })] });
  const asked = press(schedulesUi(), env, 'x');
  assert.equal(promptOf(asked.ui), 'delete schedule #2 (→ iris)?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'delete_schedule', id: 2 }]);
  const pauseProposal = press(schedulesUi(), env, 'p');
  assert.equal(pauseProposal.ui.modal, undefined);
  assert.equal(pauseProposal.ui.flash?.text, 'schedule #2 waits for approval #12 first');
  const ended = press(schedulesUi(), env, 'j', 'x');
  assert.equal(ended.ui.flash?.text, 'schedule #3 has ended already');
  assert.deepEqual(ended.effects, []);
});

test('Enter opens the approval behind the selected schedule; Esc comes back to the schedules', () => {
  const env = envOf(hive(), { schedules: [schedule(2, { state: 'proposed' })] });
  const opened = press(schedulesUi(), env, ENTER);
  assert.deepEqual([opened.ui.view, opened.ui.approvalId], ['approval', 12]);
  assert.deepEqual(opened.effects, [{ type: 'fetch_approval', id: 12 }]);
  assert.equal(press(opened.ui, env, ESC).ui.view, 'schedules');
});

test('read-only hides p and x, and not live disables them with the reason', () => {
  const s = hive();
  const readOnly = press(schedulesUi(), envOf(s, { readOnly: true, schedules: [schedule(2)] }), 'x');
  assert.equal(readOnly.ui.modal, undefined);
  assert.deepEqual(readOnly.effects, []);
  const offline = press(schedulesUi(), envOf(s, { live: false, schedules: [schedule(2)] }), 'p');
  assert.equal(offline.ui.modal, undefined);
  assert.match(offline.ui.flash?.text ?? '', /not connected/);
});

test(':schedule proposes from any view (the core queues an approval); a bad one is a sentence and sends nothing', () => {
  const env = envOf(hive({ agents: [agentRow('iris')] }));
  const proposed = press(initialUiState(), env, ':', ...typed('schedule iris 0 9 * * 1-5 tz=Europe/Berlin Write the notes.'), ENTER);
  assert.deepEqual(requests(proposed.effects), [{ cmd: 'schedule_prompt', to: 'iris', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', prompt: 'Write the notes.' }]);
  const bad = press(initialUiState(), env, ':', ...typed('schedule iris every 15m'), ENTER);
  assert.deepEqual(requests(bad.effects), []);
  assert.match(bad.ui.flash?.text ?? '', /^what prompt\?/);
});

test(':delete-schedule names a schedule by id from any view, and refuses one that is not listed', () => {
  const env = envOf(hive(), { schedules: [schedule(2), schedule(4, { state: 'paused' })] });
  const asked = press(initialUiState(), env, ':', ...typed('delete-schedule 4'), ENTER);
  assert.equal(promptOf(asked.ui), 'delete schedule #4 (→ iris)?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'delete_schedule', id: 4 }]);
  const unknown = press(initialUiState(), env, ':', ...typed('delete-schedule 9'), ENTER);
  assert.deepEqual(unknown.effects, []);
  assert.match(unknown.ui.flash?.text ?? '', /no schedule \(not ended\) #9 \(there is #2, #4\)/);
});

test('s on the roster cycles needs → name → CPU → memory where the core samples, needs ⇄ name where it does not', () => {
  const env = envOf(hive({ agents: [agentRow('iris')] }));
  const order = (e: typeof env) => [1, 2, 3, 4].map((n) => press(initialUiState(), e, ...Array<string>(n).fill('s')).ui.rosterSort);
  assert.deepEqual(order({ ...env, sampled: true }), ['name', 'cpu', 'memory', 'needs']);
  assert.deepEqual(order(env), ['name', 'needs', 'name', 'needs']);
});
