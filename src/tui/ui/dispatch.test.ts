import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer } from '../client/hive-state.js';
import { streamLinesAction } from '../client/stream-lines.js';
import { newBelow } from './stream-scroll.js';
import { initialUiState, type Effect, type UiState } from './ui-state.js';
import { agentRow, approval, question } from '../testing/fixtures.js';
import { ENTER, ESC, envOf, hive, press, requests, streamHive } from '../testing/dispatch-env.js';

test('approve asks for confirmation and only y confirms', () => {
  const env = envOf(hive({ approvals: [approval(7)] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  for (const no of ['n', 'Y', ENTER, ESC, 'a'] as const) {
    const r = press(start, env, 'a', no);
    assert.deepEqual(requests(r.effects), [], `${JSON.stringify(no)} must not confirm`);
    assert.equal(r.ui.modal, undefined);
  }
  const yes = press(start, env, 'a', 'y');
  assert.deepEqual(requests(yes.effects), [{ cmd: 'approve', id: 7 }]);
});

test('deny takes a note; Enter sends, Esc cancels', () => {
  const env = envOf(hive({ approvals: [approval(7)] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  const sent = press(start, env, 'd', 'n', 'o', 'p', ['', { backspace: true }], 'e', ENTER);
  assert.deepEqual(requests(sent.effects), [{ cmd: 'deny', id: 7, note: 'noe' }]);
  const cancelled = press(start, env, 'd', 'x', ESC);
  assert.deepEqual(requests(cancelled.effects), []);
  assert.equal(cancelled.ui.view, 'attention', 'Esc in an input closes the input, not the view');
  assert.equal(cancelled.ui.modal, undefined);
});

test('answering: 1–9 pick, j/k move, Enter sends the option', () => {
  const env = envOf(hive({ questions: [question(3)] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  assert.deepEqual(requests(press(start, env, ENTER, '2', ENTER).effects), [{ cmd: 'answer', id: 3, answer: 'postgres' }]);
  assert.deepEqual(requests(press(start, env, ENTER, 'j', 'j', 'k', ENTER).effects), [{ cmd: 'answer', id: 3, answer: 'postgres' }]);
  assert.deepEqual(requests(press(start, env, ENTER, 'e', 'm', 'y', 's', 'q', 'l', ENTER).effects), [{ cmd: 'answer', id: 3, answer: 'mysql' }]);
  assert.deepEqual(requests(press(start, env, ENTER, '2', ESC).effects), []);
});

test('multi-select toggles with Space and sends the picks joined by ", "', () => {
  const env = envOf(hive({ questions: [question(3, { multi: true })] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  const r = press(start, env, ENTER, ' ', 'j', 'j', ' ', ENTER);
  assert.deepEqual(requests(r.effects), [{ cmd: 'answer', id: 3, answer: 'sqlite, both' }]);
  const none = press(start, env, ENTER, ENTER);
  assert.deepEqual(requests(none.effects), []);
  assert.match(none.ui.flash!.text, /pick at least one/);
});

test('x cancels a question after confirmation', () => {
  const env = envOf(hive({ questions: [question(3)] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  assert.deepEqual(requests(press(start, env, 'x', 'y').effects), [{ cmd: 'cancel_question', id: 3 }]);
  assert.deepEqual(requests(press(start, env, 'x', 'n').effects), []);
});

test('pause toggles by the row, message sends the typed body', () => {
  const s = hive({ agents: [agentRow('iris'), agentRow('zed', { paused: true })] });
  const env = envOf(s);
  assert.deepEqual(requests(press(initialUiState(), env, 'p', 'y').effects), [{ cmd: 'set_paused', name: 'iris', paused: true }]);
  assert.deepEqual(requests(press(initialUiState(), env, 'j', 'p', 'y').effects), [{ cmd: 'set_paused', name: 'zed', paused: false }]);
  assert.deepEqual(requests(press(initialUiState(), env, 'm', 'h', 'i', ENTER).effects), [{ cmd: 'send', to: 'iris', body: 'hi' }]);
  assert.deepEqual(requests(press(initialUiState(), env, 'r', 'y').effects), [{ cmd: 'restart', name: 'iris' }]);
  assert.deepEqual(requests(press(initialUiState(), env, 'c', 'y').effects), [{ cmd: 'agent_control', name: 'iris', action: 'cancel_turn' }]);
  assert.deepEqual(requests(press(initialUiState(), env, 'M', '2', ENTER, 'y').effects), [{ cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'opus' }]);
});

test('actions are disabled with a reason while not live', () => {
  const env = envOf(hive({ approvals: [approval(7)] }), { live: false });
  const r = press({ ...initialUiState(), view: 'attention' }, env, 'a');
  assert.deepEqual(requests(r.effects), []);
  assert.equal(r.ui.modal, undefined, 'no confirm line opens while not live');
  assert.match(r.ui.flash!.text, /actions are disabled: not connected \(reconnecting\)/);
});

test('Esc never quits; q quits only from a top view; Ctrl-C quits anywhere', () => {
  const env = envOf(hive());
  const quits = (r: { effects: Effect[] }) => r.effects.some((e) => e.type === 'quit');
  assert.equal(quits(press(initialUiState(), env, ESC, ESC)), false);
  assert.equal(press(initialUiState(), env, ESC).ui.view, 'agents');
  const inStream = press(initialUiState(), env, ENTER);
  assert.equal(inStream.ui.view, 'stream');
  const q = press(inStream.ui, env, 'q');
  assert.equal(quits(q), false);
  assert.equal(q.ui.view, 'agents', 'q backs out of a drilled-in view');
  assert.equal(quits(press(q.ui, env, 'q')), true);
  assert.equal(quits(press(inStream.ui, env, ['c', { ctrl: true }])), true);
});

test('1/2/3, Tab and the : command line switch views', () => {
  const env = envOf(hive());
  assert.equal(press(initialUiState(), env, '2').ui.view, 'attention');
  assert.equal(press(initialUiState(), env, '3').ui.view, 'stats');
  assert.equal(press(initialUiState(), env, ['', { tab: true }], ['', { tab: true }]).ui.view, 'stats');
  assert.equal(press(initialUiState(), env, ':', 's', 't', 'a', 't', 's', ENTER).ui.view, 'stats');
  assert.equal(press(initialUiState(), env, ':', 'q', ENTER).effects[0]?.type, 'quit');
  assert.match(press(initialUiState(), env, ':', 'z', ENTER).ui.flash!.text, /unknown command/);
});

test('scrolling up pauses follow and counts new lines below; G resumes', () => {
  let s = streamHive(50);
  const env0 = envOf(s);
  let { ui, effects } = press(initialUiState(), env0, ENTER, 'k', 'k');
  assert.equal(ui.scroll.iris!.follow, false);
  assert.deepEqual(effects, []);
  s = hiveReducer(s, streamLinesAction('iris', [{ kind: 'note', seq: 100, text: 'new one' }, { kind: 'note', seq: 101, text: 'new two' }]));
  assert.equal(newBelow(s.streams.iris!, ui.scroll.iris), 4);
  ({ ui } = press(ui, envOf(s), 'G'));
  assert.equal(ui.scroll.iris!.follow, true);
  assert.equal(newBelow(s.streams.iris!, ui.scroll.iris), 0);
});

test('scrolling past the held lines asks for older history', () => {
  const s = streamHive(12);
  const { effects } = press(initialUiState(), envOf(s), ENTER, ['', { pageUp: true }]);
  assert.deepEqual(effects, [{ type: 'load_older', agent: 'iris' }]);
});

test('search finds matches upwards with n, back down with N; [ and ] jump turns', () => {
  const s = streamHive(50);
  const env = envOf(s);
  let { ui } = press(initialUiState(), env, ENTER, '/', 'l', 'i', 'n', 'e', ' ', '4', ENTER);
  const at = (u: UiState) => u.scroll.iris!.bottom;
  assert.equal(at(ui), 49, 'first match from the bottom: "line 49"');
  ({ ui } = press(ui, env, 'n'));
  assert.equal(at(ui), 48);
  ({ ui } = press(ui, env, 'N'));
  assert.equal(at(ui), 49);
  // Following, the pane (10 rows) shows lines 40–49: its top row is turn 40's header, so [ goes to turn 30's, put in the top row.
  ({ ui } = press(ui, env, 'G', '['));
  assert.equal(ui.scroll.iris!.follow, false);
  assert.equal(at(ui), 39);
  ({ ui } = press(ui, env, '['));
  assert.equal(at(ui), 29);
  ({ ui } = press(ui, env, ']'));
  assert.equal(at(ui), 39);
});

test('a key for another kind of item says what is missing; read-only says why nothing happened', () => {
  const env = envOf(hive({ questions: [question(3)] }));
  const start = { ...initialUiState(), view: 'attention' as const };
  const approveOnQuestion = press(start, env, 'a');
  assert.deepEqual(approveOnQuestion.effects, []);
  assert.equal(approveOnQuestion.ui.flash?.text, 'no approval selected');
  const readOnly = press(start, { ...env, readOnly: true }, ENTER, 'x');
  assert.deepEqual(requests(readOnly.effects), []);
  assert.equal(readOnly.ui.modal, undefined, 'the answer form does not open read-only');
  assert.equal(readOnly.ui.flash?.text, 'read-only: actions are hidden');
});

test('sending an answer while not live is refused with the reason and keeps the form', () => {
  const s = hive({ questions: [question(3)] });
  const open = press({ ...initialUiState(), view: 'attention' }, envOf(s), ENTER, '2');
  const r = press(open.ui, envOf(s, { live: false }), ENTER);
  assert.deepEqual(requests(r.effects), []);
  assert.equal(r.ui.modal?.kind, 'answer');
  assert.match(r.ui.flash!.text, /actions are disabled: not connected/);
});

test('a command that needs text asks for it, then runs with the same rules: set model confirms after the input', () => {
  const env = envOf(hive());
  const typed = press(initialUiState(), env, 'M', 'e', 's', 'o', 'n', 'n', 'e', 't', ENTER);
  assert.equal(typed.ui.modal?.kind, 'confirm', 'the model is confirmed before it is sent');
  assert.deepEqual(typed.effects, []);
  const cancelled = press(typed.ui, env, 'n');
  assert.equal(cancelled.ui.flash?.text, 'cancelled: set model of iris to sonnet');
  const whileDown = press(initialUiState(), envOf(hive(), { live: false }), 'M');
  assert.equal(whileDown.ui.modal, undefined, 'no input opens while not live');
  assert.match(whileDown.ui.flash!.text, /actions are disabled/);
});

test('the : command line runs through the dispatcher: :q quits from a drilled-in view', () => {
  const env = envOf(hive());
  const inStream = press(initialUiState(), env, ENTER).ui;
  assert.equal(inStream.view, 'stream');
  assert.equal(press(inStream, env, ':', 'q', ENTER).effects[0]?.type, 'quit');
  assert.equal(press(inStream, env, ':', 'h', 'e', 'l', 'p', ENTER).ui.view, 'help');
});
