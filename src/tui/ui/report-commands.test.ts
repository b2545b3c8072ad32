// The report views' keys: :search, :recap, the traffic view, moving among rows that lead somewhere, Enter following them (a jump into a stream pages older history in until the turn is held).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer, type HiveState } from '../client/hive-state.js';
import { streamLinesAction } from '../client/stream-lines.js';
import { MessagesAnswer, RecapAnswer, SearchAnswer } from '../../protocol/index.js';
import { answeredReport, searchReport, type ReportName } from '../reports.js';
import { appendSearchPage } from '../search-pages.js';
import { ENTER, ESC, envOf, hive, press } from '../testing/dispatch-env.js';
import { agentRow, question } from '../testing/fixtures.js';
import { visibleRows } from '../views/StreamView.js';
import { helpRows } from '../keys/hints.js';
import { parseSpan, selectedLink, settleJump } from './report-commands.js';
import { initialUiState, type Effect, type KeyEnv, type UiState } from './ui-state.js';

const PARSERS = { SearchAnswer, RecapAnswer, MessagesAnswer };
const typed = (text: string) => text.split('');
const reportAsks = (effects: Effect[]) => effects.filter((e): e is Extract<Effect, { type: 'report' }> => e.type === 'report');

/** The state once the core answered report `name` with `response`. */
function answered(ui: UiState, name: ReportName, response: Record<string, unknown>): UiState {
  const report = answeredReport(name, ui.reports[name]!, response, PARSERS, 1_763_702_500);
  return { ...ui, reports: { ...ui.reports, [name]: report } };
}

/** `count` events of iris from `first`: a turn header every 10 seqs (at seq 1, 11, 21, …). */
function events(first: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const seq = first + i;
    return { kind: (seq - 1) % 10 === 0 ? 'turn_start' : 'note', seq, from: 'operator', body: `turn ${(seq - 1) / 10}`, unread: 0, text: `line ${seq}` };
  });
}

const SEARCH = {
  query: 'flaky test',
  words: ['flaky', 'test'],
  hits: [
    { seq: 45, agent: 'iris', kind: 'note', ts_ms: 1_763_702_400_000, source: 'note', snippet: 'the flaky test again', turn: 41 },
    { seq: 33, agent: 'iris', kind: 'note', ts_ms: 1_763_702_300_000, source: 'note', snippet: 'a flaky test timed out', turn: 31 },
    { seq: 7, agent: 'web', kind: 'note', ts_ms: 1_763_702_200_000, source: 'tool_result', snippet: 'flaky', turn: null },
  ],
  turns: [
    { seq: 41, agent: 'iris', ts_ms: 1_763_702_390_000, from: 'operator', body: 'look again' },
    { seq: 31, agent: 'iris', ts_ms: 1_763_702_290_000, from: 'operator', body: 'look at the flaky test' },
  ],
  more: false,
  index_behind: 0,
};

function searched(env: KeyEnv): UiState {
  const asked = press(initialUiState(), env, ':', ...typed('search flaky test'), ENTER);
  assert.equal(asked.ui.view, 'search');
  assert.equal(asked.ui.reports.search?.status, 'loading');
  assert.deepEqual(reportAsks(asked.effects).map((e) => e.request), [{ cmd: 'search', query: 'flaky test', limit: 200 }]);
  return answered(asked.ui, 'search', SEARCH);
}

test(':search shows hits grouped by agent and turn; j/k move among the rows that lead somewhere', () => {
  const env = envOf(hive());
  const ui = searched(env);
  const text = ui.reports.search!.rows.map((r) => r.segments.map((s) => s.text).join(''));
  assert.deepEqual(text.map((t) => t.trim().slice(0, 28)), [
    'iris — 2 hits in 2 turns',
    'turn #41 1m ago from operato',
    'note        the flaky test a',
    'turn #31 3m ago from operato',
    'note        a flaky test tim',
    'web — 1 hit in 1 turn',
    'before the oldest stored tur',
    'tool_result flaky',
  ]);
  assert.equal(ui.reports.search!.note, '3 hits');
  assert.deepEqual(selectedLink(ui), { kind: 'turn', agent: 'iris', seq: 41 }, 'the cursor starts on the first row that leads somewhere');
  assert.deepEqual(selectedLink(press(ui, env, 'j', 'j').ui), { kind: 'turn', agent: 'iris', seq: 31 });
  assert.deepEqual(selectedLink(press(ui, env, 'G').ui), { kind: 'turn', agent: 'web', seq: 7 });
  const words = ui.reports.search!.rows[2]!.segments.filter((s) => s.bold).map((s) => s.text);
  assert.deepEqual(words, ['flaky', 'test'], 'the words searched for stand out');
  assert.equal(press(initialUiState(), env, ':', ...typed('search'), ENTER).ui.flash?.text, ':search needs text — usage: :search TEXT…');
});

/** `count` hits of iris from seq `from` down, a turn every 10 seqs. */
function hitsPage(from: number, count: number, more: boolean) {
  const hits = Array.from({ length: count }, (_, i) => ({ seq: from - i, agent: 'iris', kind: 'note', ts_ms: 1_763_702_400_000, source: 'note', snippet: `flaky ${from - i}`, turn: from - i - ((from - i) % 10) }));
  const turns = [...new Set(hits.map((h) => h.turn))].map((seq) => ({ seq, agent: 'iris', ts_ms: 1_763_702_400_000, from: 'operator', body: `turn ${seq}` }));
  return { query: 'flaky', words: ['flaky'], hits, turns, more, index_behind: 0 };
}

test('the cursor reaching the end of the hits asks for the older page once; its hits are appended below, and Enter on one jumps to it', () => {
  const env = envOf(hive(), { nowMs: 1_763_702_500_000 });
  const asked = press(initialUiState(), env, ':', ...typed('search flaky'), ENTER).ui;
  const ui = answered(asked, 'search', hitsPage(1000, 200, true));
  assert.equal(ui.reports.search!.note, '200 hits, more older');
  const older = (effects: Effect[]) => effects.filter((e) => e.type === 'search_older');
  assert.deepEqual(older(press(ui, env, 'j', 'j').effects), [], 'nothing asked before the end');
  const atEnd = press(ui, env, 'G');
  assert.deepEqual(older(atEnd.effects), [{ type: 'search_older', query: 'flaky', before: 801, limit: 200 }]);
  assert.equal(atEnd.ui.reports.search!.rows.at(-1)!.segments[0]!.text.trim(), 'loading older hits…');
  const lastLink = selectedLink(atEnd.ui);
  assert.deepEqual(older(press(atEnd.ui, env, 'j', 'G').effects), [], 'one older page in flight at a time');

  const shown = atEnd.ui.reports.search!;
  const appended = { ...atEnd.ui, reports: { ...atEnd.ui.reports, search: searchReport(shown, appendSearchPage(shown.search!, SearchAnswer.parse(hitsPage(800, 200, false))), 1_763_702_500) } };
  assert.equal(appended.reports.search!.note, '400 hits');
  assert.deepEqual(selectedLink(appended), lastLink, 'the cursor stays on its row');
  const down = press(appended, env, 'j', 'j');
  assert.deepEqual(selectedLink(down.ui), { kind: 'turn', agent: 'iris', seq: 800 }, "past the old end: the older page's first hit");
  assert.deepEqual(older(press(appended, env, 'G').effects), [], 'nothing older: nothing asked');
  const jumped = press(down.ui, env, ENTER).ui;
  assert.deepEqual([jumped.view, jumped.jump], ['stream', { agent: 'iris', seq: 800 }]);
});

test('Enter on a hit opens its stream at the turn, paging older history in until the pane holds it', () => {
  let s: HiveState = hiveReducer(hive(), streamLinesAction('iris', events(51, 50), true));
  let env = envOf(s);
  const ui = press(searched(env), env, 'j', 'j', ENTER);
  assert.equal(ui.ui.view, 'stream');
  assert.deepEqual(ui.ui.streamAgents, ['iris']);
  assert.deepEqual(ui.ui.jump, { agent: 'iris', seq: 31 });
  assert.deepEqual(ui.effects, [{ type: 'load_older', agent: 'iris' }], 'seq 31 is older than what is held (51 on)');

  s = hiveReducer(s, { type: 'stream_loading_older', agent: 'iris' });
  assert.equal(settleJump(ui.ui, envOf(s)), undefined, 'nothing to do while the page is on its way');
  s = hiveReducer(s, { type: 'stream_older', agent: 'iris', events: events(1, 50), exhausted: false });
  env = envOf(s);
  const settled = settleJump(ui.ui, env)!;
  assert.equal(settled.ui.jump, undefined);
  assert.equal(visibleRows(s.streams.iris!, settled.ui.scroll.iris, 102, 10)[0]!.row, '── turn · woken by operator: turn 3', 'the turn header in the top row');
  assert.match(settled.ui.flash!.text, /^#31 of iris at the top/);
  assert.equal(press(settled.ui, env, ESC).ui.view, 'search', 'Esc goes back to the results');
});

test('a jump past the history the console holds says so and stays at the tail', () => {
  const s = hiveReducer(hive(), streamLinesAction('iris', events(51, 50), true));
  const ui = press(searched(envOf(s)), envOf(s), 'j', 'j', ENTER).ui;
  const exhausted = hiveReducer(s, { type: 'stream_older', agent: 'iris', events: [], exhausted: true });
  const given = settleJump(ui, envOf(exhausted))!;
  assert.equal(given.ui.jump, undefined);
  assert.equal(given.ui.scroll.iris?.follow, true);
  assert.equal(given.ui.flash?.text, '#31 is older than the history this console holds of iris (hyperhive history iris --before 32 shows it)');
});

const RECAP = {
  since: 1_763_695_200,
  until: 1_763_702_400,
  operator: 'alice@box',
  looked_at: 1_763_695_200,
  agents: [{ name: 'iris', turns: 5, failed_turns: 1, cost_usd: 0.81, first_turn_seq: 90, started: 1, failed: 0, stalled: 0 }],
  failed_turns: [{ agent: 'iris', seq: 95, end_seq: 99, at: 1_763_701_000, note: 'exit code 1' }],
  incidents: [],
  approvals: [{ id: 7, agent: 'scout', kind: 'spawn', status: 'approved', resolved_at: '2026-11-21T05:20:00Z', resolved_by: 'bob@box pts/1' }],
  questions: [{ id: 3, asker: 'iris', target: null, question: 'Ship it?', answer: '[expired]', answerer: 'ttl-watchdog', answered_at: 1_763_699_000, cancelled: false, expired: true }],
  messages: [{ id: 40, from: 'iris', body: 'done with the docs', sent_at: 1_763_702_300, read: false }],
  counts: { turns: 5, cost_usd: 0.81, failed_turns: 1, incidents: 0, approvals: 1, questions: 1, questions_expired: 1, messages: 1, approvals_pending: 0, questions_open: 0, messages_unread: 1 },
};

test(':recap takes a span, and each of its lines leads to its turn, approval, question or message', () => {
  const env = envOf(hive(), { nowMs: 1_763_702_500_000 });
  const asked = press(initialUiState(), env, ':', ...typed('recap 2h'), ENTER);
  assert.deepEqual(reportAsks(asked.effects).map((e) => e.request), [{ cmd: 'recap', since: 1_763_702_500 - 7200 }]);
  assert.match(press(initialUiState(), env, ':', ...typed('recap soon'), ENTER).ui.flash!.text, /^"soon" is not a time span/);
  const ui = answered(asked.ui, 'recap', RECAP);
  assert.match(ui.reports.recap!.note!, /^since your last look 2h ago \(alice@box\)/);
  const links = [0, 1, 2, 3, 4].map((n) => selectedLink({ ...ui, reportCursor: { ...ui.reportCursor, recap: n } }));
  assert.deepEqual(links, [
    { kind: 'turn', agent: 'iris', seq: 90 },
    { kind: 'turn', agent: 'iris', seq: 95 },
    { kind: 'approval', id: 7 },
    { kind: 'question', id: 3 },
    { kind: 'message', id: 40 },
  ]);
  const approval = press(ui, env, 'j', 'j', ENTER);
  assert.equal(approval.ui.view, 'approval');
  assert.deepEqual(approval.effects, [{ type: 'fetch_approval', id: 7 }]);
  assert.equal(press(ui, env, 'j', 'j', 'j', ENTER).ui.flash?.text, 'question #3 is no longer open (the row says how it ended)');
  const again = press(press(ui, env, ESC).ui, env, ':', ...typed('recap'), ENTER);
  assert.deepEqual([again.ui.view, again.ui.reports.recap, reportAsks(again.effects)], ['recap', ui.reports.recap, []], 'the recap held is shown again, not asked since the look it marked');
  assert.equal(parseSpan('90'), 5400, 'a bare number is minutes');
  assert.equal(parseSpan('1d'), 86_400);
});

const TRAFFIC = {
  messages: [
    { id: 42, from: 'web', to: 'iris', body: 'looking', sent_at: 1_763_702_460, in_reply_to: 41, broadcast: false, state: 'unread' },
    { id: 41, from: 'iris', to: 'web', body: 'the build is red', sent_at: 1_763_702_450, broadcast: false, state: 'acked', delivered_at: 1_763_702_451, acked_at: 1_763_702_458 },
  ],
  waiting: [{ agent: 'iris', on: 'web', question_id: 5, question: 'which port?', asked_at: 1_763_702_440 }],
  more: false,
};

test('6 shows the traffic: who waits on whom, then every message with its state; f keeps to one agent after another', () => {
  const s = hive({ agents: [agentRow('iris'), agentRow('web')], questions: [question(5, { asker: 'iris', target: 'web' })] });
  const env = envOf(s);
  const asked = press(initialUiState(), env, '6');
  assert.equal(asked.ui.view, 'traffic');
  assert.deepEqual(reportAsks(asked.effects).map((e) => e.request), [{ cmd: 'messages', limit: 200 }]);
  const ui = answered(asked.ui, 'traffic', TRAFFIC);
  const text = ui.reports.traffic!.rows.map((r) => r.segments.map((x) => x.text).join('').trimEnd());
  assert.match(text[1]!, /^ {2}iris waits on web {2}#5 1m ago: which port\?$/);
  assert.match(text[3]!, /#42 40s ago {2}web → iris {2}unread {4}↩#41 looking$/);
  assert.match(text[4]!, /#41 50s ago {2}iris → web {2}acked/);
  assert.equal(ui.reports.traffic!.note, '2 messages, 1 unread · 1 waiting');
  assert.deepEqual(selectedLink(press(ui, env, 'j').ui), { kind: 'agent', name: 'iris' }, 'a message leads to its recipient');
  const f1 = press(ui, env, 'f');
  assert.deepEqual(reportAsks(f1.effects).map((e) => e.request), [{ cmd: 'messages', agent: 'iris', limit: 200 }]);
  const f2 = press(f1.ui, env, 'f');
  assert.deepEqual(reportAsks(f2.effects).map((e) => e.request), [{ cmd: 'messages', agent: 'web', limit: 200 }]);
  assert.deepEqual(reportAsks(press(f2.ui, env, 'f').effects).map((e) => e.request), [{ cmd: 'messages', limit: 200 }], 'past the last agent: every agent again');
  assert.deepEqual(reportAsks(press(initialUiState(), env, ':', ...typed('traffic web'), ENTER).effects).map((e) => e.request), [{ cmd: 'messages', agent: 'web', limit: 200 }]);
  // Waiting on a peer: Enter shows what that peer is doing. Waiting on the operator: the question in the attention queue.
  const toPeer = press(ui, env, ENTER).ui;
  assert.deepEqual([toPeer.view, toPeer.streamAgents], ['stream', ['web']]);
  const s2 = hive({ agents: [agentRow('iris')], questions: [question(6, { asker: 'iris' })] });
  const onOperator = answered(press(initialUiState(), envOf(s2), '6').ui, 'traffic', { ...TRAFFIC, waiting: [{ agent: 'iris', on: 'operator', question_id: 6, question: 'Which database?', asked_at: 1_763_702_440 }] });
  const toQuestion = press(onOperator, envOf(s2), ENTER).ui;
  assert.equal(toQuestion.view, 'attention');
  assert.equal(envOf(s2).attention[toQuestion.cursor.attention]?.id, 6);
});

test('an answer the console cannot read, or a refusal, shows as an error in the title', () => {
  const ui = press(initialUiState(), envOf(hive()), '6').ui;
  const bad = answeredReport('traffic', ui.reports.traffic!, { messages: 'no' }, PARSERS, 0);
  assert.equal(bad.status, 'error');
  assert.match(bad.note!, /was not understood/);
});

test('help in a report view names its keys from the keymap, and the : words are listed everywhere', () => {
  const rows = (view: 'traffic' | 'search') => helpRows({ view, readOnly: false, live: true }).flatMap((s) => s.rows.map((r) => `${r.key} ${r.help}`));
  assert.ok(rows('traffic').some((r) => r.startsWith('f filter by agent')));
  assert.ok(rows('search').some((r) => r.startsWith("Enter go to the row's turn in its stream")));
  assert.ok(!rows('search').some((r) => r.startsWith('f filter by agent')), 'f is the traffic view\'s');
  for (const word of [':search TEXT', ':recap [2h]', '6 traffic']) assert.ok(rows('search').some((r) => r.startsWith(word)), word);
});
