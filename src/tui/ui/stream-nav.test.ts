// Stream navigation: turn headers to the top row (wrapped lines counted), search that wraps round, Esc clears a search first, the held-pane label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer, type HiveState } from '../client/hive-state.js';
import { streamLinesAction } from '../client/stream-lines.js';
import { initialUiState, type UiState } from './ui-state.js';
import { ENTER, ESC, envOf, press, streamHive } from '../testing/dispatch-env.js';
import { visibleRows, scrollLabel } from '../views/StreamView.js';
import { bottomIndex, newBelow } from './stream-scroll.js';

const opened = (s: HiveState) => press(initialUiState(), envOf(s), ENTER).ui;
const topRow = (s: HiveState, ui: UiState, width: number, rows: number) => visibleRows(s.streams.iris!, ui.scroll.iris, width + 2, rows)[0]!.row;

test('] from the top of a stream goes to the first turn header below, put in the top row; [ goes back', () => {
  const s = streamHive(50);
  const env = envOf(s);
  const top = press(opened(s), env, 'g').ui;
  assert.equal(topRow(s, top, 100, 10), '── turn · woken by operator: turn 0');
  const next = press(top, env, ']').ui;
  assert.equal(topRow(s, next, 100, 10), '── turn · woken by operator: turn 1', 'a whole turn on, not one line');
  assert.equal(topRow(s, press(next, env, ']').ui, 100, 10), '── turn · woken by operator: turn 2');
  assert.equal(topRow(s, press(next, env, '[').ui, 100, 10), '── turn · woken by operator: turn 0');
  // Near the end nothing further can come to the top: ] says so instead of moving.
  const end = press(next, env, ']', ']', ']');
  assert.equal(topRow(s, end.ui, 100, 10), '── turn · woken by operator: turn 4');
  assert.equal(press(end.ui, env, ']').ui.flash?.text, 'no later turn');
});

test('turn jumps count wrapped rows: the header lands in the top row of a narrow pane', () => {
  const s = streamHive(50, true);
  const env = envOf(s, { paneWidth: 20 });
  const next = press(opened(s), env, 'g', ']').ui;
  assert.equal(topRow(s, next, 20, 10), '── turn · woken by');
  assert.equal(topRow(s, press(next, env, ']').ui, 20, 10), '── turn · woken by');
  assert.match(visibleRows(s.streams.iris!, press(next, env, ']').ui.scroll.iris, 22, 10)[1]!.row, /^operator: turn 2/);
});

test('n repeats the search up, N goes down, and past either end it wraps round saying so', () => {
  const s = streamHive(50);
  const env = envOf(s);
  const bottom = (ui: UiState) => bottomIndex(s.streams.iris!, ui.scroll.iris);
  let { ui } = press(opened(s), env, '/', ...'line 4'.split(''), ENTER);
  assert.equal(bottom(ui), 49);
  // Line 40 is turn 4's header, so 41 is the last of the forties.
  for (let i = 0; i < 8; i++) ui = press(ui, env, 'n').ui;
  assert.equal(bottom(ui), 41);
  ui = press(ui, env, 'n').ui;
  assert.equal(bottom(ui), 4, '"line 4" is the last match going up');
  const wrapped = press(ui, env, 'n');
  assert.equal(bottom(wrapped.ui), 49);
  assert.equal(wrapped.ui.flash?.text, 'search wrapped: /line 4');
  const down = press(wrapped.ui, env, 'N');
  assert.equal(bottom(down.ui), 4, 'N past the newest line wraps to the oldest match');
  assert.equal(down.ui.flash?.text, 'search wrapped: /line 4');
  assert.equal(press(ui, env, '/', ...'nothing'.split(''), ENTER).ui.flash?.text, 'no match for "nothing" in what is held');
});

test('Esc clears an active search before it leaves the stream', () => {
  const s = streamHive(20);
  const env = envOf(s);
  const searching = press(opened(s), env, '/', 'l', 'i', 'n', 'e', ENTER).ui;
  assert.equal(searching.scroll.iris!.search, 'line');
  const cleared = press(searching, env, ESC).ui;
  assert.deepEqual([cleared.view, cleared.scroll.iris!.search, cleared.flash?.text], ['stream', undefined, 'search cleared']);
  assert.equal(press(cleared, env, ESC).ui.view, 'agents');
  // With no search, n is a new session again (confirmed), not "next match".
  assert.equal(press(cleared, env, 'n').ui.modal?.kind, 'confirm');
});

test('a held pane says how many lines are below and how to follow again', () => {
  let s = streamHive(30);
  const held = press(opened(s), envOf(s), 'k', 'k').ui;
  s = hiveReducer(s, streamLinesAction('iris', Array.from({ length: 8 }, (_, i) => ({ kind: 'note', seq: 100 + i, text: `new ${i}` }))));
  const below = newBelow(s.streams.iris!, held.scroll.iris);
  assert.equal(below, 10);
  assert.equal(scrollLabel(held.scroll.iris, below).text, '↓ 10 more · G to follow');
  assert.equal(scrollLabel(undefined, 0).text, '⇣ following');
  assert.equal(scrollLabel({ follow: false, bottom: 0 }, 0).text, 'held · G to follow');
});
