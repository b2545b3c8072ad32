// The operator features of the dispatcher, pure: filters, marks and bulk actions, the : line, Enter on the roster, the model pick list, paste and wheel, copy and pager, panes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionKey, attentionQueue } from '../client/attention-queue.js';
import { hiveReducer } from '../client/hive-state.js';
import { handleKey } from './dispatch.js';
import { initialUiState, type Effect, type UiState } from './ui-state.js';
import { agentRow, approval, operatorMessage, question, questionAdded } from '../testing/fixtures.js';
import { ENTER, ESC, envOf, hive, press, requests } from '../testing/dispatch-env.js';
import { filterAttention } from '../view-model.js';

const attentionUi = (): UiState => ({ ...initialUiState(), view: 'attention' });
const typed = (text: string) => [...text];

test('Space marks rows and a approves every marked approval after one confirmation that lists them; each is sent once', () => {
  const env = envOf(hive({ approvals: [approval(3), approval(5), approval(8)], questions: [question(7)] }));
  // Queue: question #7 has no deadline and is newest, so the approvals (older) come first: #3, #5, #8, then ?7.
  assert.deepEqual(env.queue.map(attentionKey), ['approval:3', 'approval:5', 'approval:8', 'question:7']);
  const marked = press(attentionUi(), env, ' ', ' ', ' ', ' ');
  assert.deepEqual(marked.ui.marks.attention, ['approval:3', 'approval:5', 'approval:8', 'question:7']);
  const asked = press(marked.ui, env, 'a');
  assert.equal(asked.ui.modal?.kind, 'confirm');
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'approve #3, #5, #8?');
  assert.deepEqual(asked.effects, [], 'nothing is sent before y');
  const no = press(asked.ui, env, ENTER);
  assert.deepEqual(requests(no.effects), [], 'the default is no');
  assert.equal(no.ui.marks.attention.length, 4, 'a cancelled bulk action keeps the marks');
  const yes = press(asked.ui, env, 'y');
  assert.deepEqual(requests(yes.effects), [{ cmd: 'approve', id: 3 }, { cmd: 'approve', id: 5 }, { cmd: 'approve', id: 8 }]);
  assert.deepEqual(yes.ui.marks.attention, [], 'the marks go once the requests are sent');
});

test('bulk deny asks for one note, then confirms the list; bulk mark-read is one request', () => {
  const env = envOf(hive({ approvals: [approval(3), approval(5)], operator_inbox: [operatorMessage(9), operatorMessage(10)] }));
  const denied = press(attentionUi(), env, ' ', ' ', 'd', ...typed('not now'), ENTER);
  assert.equal((denied.ui.modal as { prompt: string }).prompt, 'deny #3, #5?');
  assert.deepEqual(requests(press(denied.ui, env, 'y').effects), [{ cmd: 'deny', id: 3, note: 'not now' }, { cmd: 'deny', id: 5, note: 'not now' }]);
  const read = press(attentionUi(), env, 'G', 'k', ' ', ' ', 'r', 'y');
  assert.deepEqual(requests(read.effects), [{ cmd: 'mark_read', ids: [9, 10] }]);
  const wrongKind = press(attentionUi(), env, 'G', ' ', 'a');
  assert.match(wrongKind.ui.flash!.text, /none of the marked rows is an approval/);
});

test('p pauses every marked agent (resumes when all are paused) after one confirmation', () => {
  const s = hive({ agents: [agentRow('iris'), agentRow('manager'), agentRow('zed', { paused: true })] });
  const env = envOf(s);
  const r = press(initialUiState(), env, ' ', ' ', ' ', 'p');
  assert.equal((r.ui.modal as { prompt: string }).prompt, 'pause iris, manager?');
  assert.deepEqual(requests(press(r.ui, env, 'y').effects), [{ cmd: 'set_paused', name: 'iris', paused: true }, { cmd: 'set_paused', name: 'manager', paused: true }]);
  const resume = press(initialUiState(), env, 'G', ' ', 'p', 'y');
  assert.deepEqual(requests(resume.effects), [{ cmd: 'set_paused', name: 'zed', paused: false }]);
});

test('/ filters a list as it is typed; Esc in the filter clears it, Enter keeps it and Esc then clears it before going back', () => {
  const s = hive({ approvals: [approval(3, { description: 'deploy the docs' }), approval(5, { description: 'spawn a researcher' })] });
  const env = envOf(s);
  const typing = press(attentionUi(), env, '/', ...typed('research'));
  assert.equal(typing.ui.filters.attention, 'research');
  assert.deepEqual(filterAttention(env.queue, typing.ui.filters.attention).map((x) => x.id), [5]);
  assert.equal(press(typing.ui, env, ESC).ui.filters.attention, '', 'Esc in the filter line clears it');
  const kept = press(typing.ui, env, ENTER);
  assert.equal(kept.ui.modal, undefined);
  assert.equal(kept.ui.filters.attention, 'research');
  const cleared = press(kept.ui, env, ESC);
  assert.equal(cleared.ui.filters.attention, '');
  assert.equal(cleared.ui.view, 'attention', 'the first Esc clears the filter, it does not leave');
  assert.equal(press({ ...initialUiState(), view: 'stats' }, env, '/', 'x').ui.filters.stats, 'x', 'stats filter too');
});

test('the : line runs the ctl\'s verbs on what they name, with the same confirm rules', () => {
  const s = hive({ agents: [agentRow('iris', { active_model: 'haiku' }), agentRow('manager')], approvals: [approval(3), approval(5)], questions: [question(7)] });
  const env = envOf(s);
  const approve = press(initialUiState(), env, ':', ...typed('approve 5'), ENTER);
  assert.equal((approve.ui.modal as { prompt: string }).prompt, 'approve #5?');
  assert.deepEqual(requests(press(approve.ui, env, 'y').effects), [{ cmd: 'approve', id: 5 }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('deny 3 not now'), ENTER).effects), [{ cmd: 'deny', id: 3, note: 'not now' }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('answer 7 2'), ENTER).effects), [{ cmd: 'answer', id: 7, answer: 'postgres' }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('answer 7 both, maybe'), ENTER).effects), [{ cmd: 'answer', id: 7, answer: 'both, maybe' }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('send iris look at #12'), ENTER).effects), [{ cmd: 'send', to: 'iris', body: 'look at #12' }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('model iris sonnet'), ENTER, 'y').effects), [{ cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'sonnet' }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('pause manager'), ENTER, 'y').effects), [{ cmd: 'set_paused', name: 'manager', paused: true }]);
  assert.deepEqual(requests(press(initialUiState(), env, ':', ...typed('restart iris'), ENTER, 'y').effects), [{ cmd: 'restart', name: 'iris' }]);
  const stats = press(initialUiState(), env, ':', ...typed('stats iris'), ENTER).ui;
  assert.deepEqual([stats.view, stats.stats.agent], ['stats', 'iris']);
  const refused = press(initialUiState(), env, ':', ...typed('model iris not-a-model'), ENTER);
  assert.deepEqual(refused.effects, []);
  assert.equal(refused.ui.flash?.text, 'unknown model "not-a-model": this hive takes fable, opus, sonnet, haiku or a full claude-… name; nothing changed');
  const unknown = press(initialUiState(), env, ':', ...typed('aprove 3'), ENTER);
  assert.match(unknown.ui.flash!.text, /unknown command ":aprove" — did you mean :approve\?/);
  const readOnly = press(initialUiState(), { ...env, readOnly: true }, ':', ...typed('approve 5'), ENTER);
  assert.deepEqual([readOnly.ui.modal, readOnly.ui.flash?.text], [undefined, 'read-only: actions are hidden']);
});

test('Tab on the : line completes, and says what else it could be', () => {
  const env = envOf(hive({ agents: [agentRow('iris'), agentRow('manager')] }));
  const done = press(initialUiState(), env, ':', ...typed('pau'), ['', { tab: true }], ...typed('ir'), ['', { tab: true }]);
  assert.equal((done.ui.modal as { value: string }).value, 'pause iris ');
  const choices = press(initialUiState(), env, ':', 'r', 'e', ['', { tab: true }]);
  assert.equal((choices.ui.modal as { hint?: string }).hint, 'read recap restart resume revive');
});

test('M offers the hive\'s models with the current one under the cursor; e types one; a refused one changes nothing', () => {
  const env = envOf(hive({ agents: [agentRow('iris', { active_model: 'sonnet' })] }), { models: ['opus', 'sonnet', 'claude-*'] });
  const pick = press(initialUiState(), env, 'M').ui.modal;
  assert.deepEqual(pick && pick.kind === 'pick' ? [pick.options, pick.current, pick.cursor] : undefined, [['opus', 'sonnet'], 'sonnet', 1]);
  assert.deepEqual(requests(press(initialUiState(), env, 'M', 'k', ENTER, 'y').effects), [{ cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'opus' }]);
  assert.equal(press(initialUiState(), env, 'M', ENTER).ui.flash?.text, 'iris uses sonnet already');
  assert.deepEqual(requests(press(initialUiState(), env, 'M', 'e', ...typed('claude-opus-4-5'), ENTER, 'y').effects), [{ cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'claude-opus-4-5' }]);
  const bad = press(initialUiState(), env, 'M', 'e', ...typed('gpt-4'), ENTER);
  assert.deepEqual(bad.effects, []);
  assert.match(bad.ui.flash!.text, /^unknown model "gpt-4": this hive takes opus, sonnet or a full claude-… name; nothing changed$/);
});

test('Enter on a roster row opens what waits on that agent, soonest first; on a quiet row its stream', () => {
  const now = Math.floor(Date.now() / 1000);
  const s = hive({
    agents: [agentRow('iris'), agentRow('manager'), agentRow('zed'), agentRow('quiet')],
    approvals: [approval(3, { requested_by: 'manager', agent: 'scout' })],
    questions: [question(7, { asker: 'iris', deadline_at: now + 600 })],
    operator_inbox: [operatorMessage(9, { from: 'zed' })],
  });
  const env = envOf(s);
  const at = (name: string) => ({ ...initialUiState(), cursor: { ...initialUiState().cursor, agents: env.roster.findIndex((r) => r.name === name) } });
  const approvalOpened = press(at('manager'), env, ENTER);
  assert.deepEqual([approvalOpened.ui.view, approvalOpened.ui.approvalId, approvalOpened.effects], ['approval', 3, [{ type: 'fetch_approval', id: 3 }]]);
  const form = press(at('iris'), env, ENTER).ui;
  assert.deepEqual(form.modal?.kind === 'answer' ? form.modal.questionId : undefined, 7);
  const message = press(at('zed'), env, ENTER).ui;
  assert.deepEqual([message.view, env.attention[message.cursor.attention]?.id], ['attention', 9]);
  const quiet = press(at('quiet'), env, ENTER).ui;
  assert.deepEqual([quiet.view, quiet.streamAgents], ['stream', ['quiet']]);
  // l (and :stream NAME) open the stream whatever waits on the agent.
  assert.deepEqual(press(at('iris'), env, 'l').ui.streamAgents, ['iris']);
  assert.deepEqual(press(initialUiState(), env, ':', ...'stream zed'.split(''), ENTER).ui.streamAgents, ['zed']);
  // Read-only: the question is shown in the queue instead of a form that could not be sent.
  const readOnly = press(at('iris'), { ...env, readOnly: true }, ENTER).ui;
  assert.deepEqual([readOnly.view, readOnly.modal], ['attention', undefined]);
});

test('the cursor stays on its row when a row arrives above it, so a key acts on the row the operator picked', () => {
  let s = hive({ approvals: [approval(3)] });
  const picked = press(attentionUi(), envOf(s), 'g').ui;
  s = hiveReducer(s, { type: 'dashboard', event: questionAdded(11, 7, { deadline_at: Math.floor(Date.now() / 1000) + 60 }) });
  assert.equal(attentionQueue(s)[0]!.kind, 'question', 'the new question sorts first');
  const r = press(picked, envOf(s), 'a', 'y');
  assert.deepEqual(requests(r.effects), [{ cmd: 'approve', id: 3 }]);
});

test('a paste goes into an input whole and is never read as keys; the wheel scrolls', () => {
  const env = envOf(hive({ approvals: [approval(3)] }));
  const outside = handleKey(attentionUi(), env, '', { paste: 'ay' });
  assert.deepEqual([outside.effects, outside.ui.modal], [[], undefined], 'a pasted "ay" approves nothing');
  const note = press(attentionUi(), env, 'd').ui;
  const pasted = handleKey(note, env, '', { paste: 'line one\nline two' });
  assert.equal((pasted.ui.modal as { value: string }).value, 'line one line two');
  const roster = envOf(hive({ agents: [agentRow('a'), agentRow('b'), agentRow('c')] }));
  const down = handleKey(handleKey(initialUiState(), roster, '', { wheel: 'down' }).ui, roster, '', { wheel: 'down' });
  assert.equal(down.ui.cursor.agents, 2);
  assert.equal(handleKey(down.ui, roster, '', { wheel: 'up' }).ui.cursor.agents, 1);
});

test('y copies the selected item and o opens it in the pager, as effects the container runs', () => {
  const s = hive({ approvals: [approval(3, { description: 'spawn a researcher' })], questions: [question(7)], operator_inbox: [operatorMessage(9, { body: 'all done\nsee #12' })] });
  const env = envOf(s);
  const effectOf = (ui: UiState, ...keys: string[]) => press(ui, env, ...keys).effects as Effect[];
  assert.deepEqual(effectOf(attentionUi(), 'g', 'y'), [{ type: 'copy', text: 'approval #3: spawn spawn for manager\nspawn a researcher', what: 'approval #3' }]);
  assert.deepEqual(effectOf(attentionUi(), 'g', 'o'), [{ type: 'pager_approval', id: 3 }], 'the diff is fetched, then paged');
  assert.deepEqual(effectOf(attentionUi(), 'G', 'y'), [{ type: 'copy', text: 'all done\nsee #12', what: 'message #9' }]);
  assert.deepEqual(effectOf({ ...initialUiState(), view: 'inbox' }, 'o'), [{ type: 'pager', text: 'all done\nsee #12', what: 'message #9' }]);
  const question7 = effectOf(attentionUi(), 'g', 'j', 'y')[0] as Extract<Effect, { type: 'copy' }>;
  assert.equal(question7.text, 'question #7 from iris: Which database?\n  1. sqlite\n  2. postgres\n  3. both');
});

test('the panes: every chosen agent is kept; Tab/L and H move the focus and bring hidden panes into view', () => {
  const env = envOf(hive({ agents: [agentRow('a'), agentRow('b'), agentRow('c')] }), { maxPanes: 2 });
  const opened = press(initialUiState(), env, 't', 'j', 't', 'j', 't', 'g', ENTER).ui;
  assert.deepEqual(opened.streamAgents, ['a', 'b', 'c'], 'three chosen, three kept');
  const tab = ['', { tab: true }] as [string, { tab: boolean }];
  const third = press(opened, env, tab, tab).ui;
  assert.deepEqual([third.focusPane, third.paneStart], [2, 1], 'the third pane comes into view');
  const back = press(third, env, 'H', 'H').ui;
  assert.deepEqual([back.focusPane, back.paneStart], [0, 0]);
  assert.deepEqual(press(opened, env, 'L').ui.focusPane, 1);
  assert.deepEqual(press(opened, env, 'H').ui.focusPane, 2, 'H from the first wraps to the last');
});

test('the roster sort toggles with s between needs-you-first and by name', () => {
  const env = envOf(hive());
  assert.equal(initialUiState().rosterSort, 'needs');
  assert.equal(press(initialUiState(), env, 's').ui.rosterSort, 'name');
  assert.equal(press(initialUiState(), env, 's', 's').ui.rosterSort, 'needs');
});

test('Esc clears marks before it goes back', () => {
  const env = envOf(hive({ approvals: [approval(3)] }));
  const r = press({ ...attentionUi(), backStack: [] }, env, ' ', ESC);
  assert.deepEqual([r.ui.marks.attention, r.ui.view, r.ui.flash?.text], [[], 'attention', 'marks cleared']);
});

