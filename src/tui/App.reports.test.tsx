// The report views in the console: the recap on attach (once, only with news, the look marked), :search drawn by agent and turn with Enter paging a stream's history in, the traffic view.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, snapshot } from './testing/fixtures.js';
import type { HostRequest } from '../protocol/index.js';
import { streamLinesAction } from './client/stream-lines.js';

afterEach(() => cleanup());

const NOW = Math.floor(Date.now() / 1000);
const counts = { turns: 3, cost_usd: 0.5, failed_turns: 0, incidents: 0, approvals: 0, questions: 0, questions_expired: 0, messages: 1, approvals_pending: 0, questions_open: 0, messages_unread: 1 };
const recap = (looked: number | null, news = true) => ({
  version: 1,
  ok: true,
  since: NOW - 3600,
  until: NOW,
  operator: 'alice@box',
  looked_at: looked,
  agents: news ? [{ name: 'iris', turns: 3, failed_turns: 0, cost_usd: 0.5, first_turn_seq: 11, started: 0, failed: 0, stalled: 0 }] : [],
  failed_turns: [],
  incidents: [],
  approvals: [],
  questions: [],
  messages: news ? [{ id: 40, from: 'iris', body: 'done with the docs', sent_at: NOW - 60, read: false }] : [],
  counts: news ? counts : { ...counts, turns: 0, messages: 0, messages_unread: 0 },
});

function liveHive(answer: (r: HostRequest) => Record<string, unknown>): TestHive {
  const h = new TestHive();
  h.answer = (r) => ({ ok: true, response: answer(r) });
  h.apply({ type: 'snapshot', snapshot: snapshot({ agents: [agentRow('iris'), agentRow('web')] }) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}

const mount = (h: TestHive, recapOnAttach = true) => render(<App hive={h} theme={noColorTheme} bell={false} size={{ columns: 100, rows: 24 }} recapOnAttach={recapOnAttach} />);
const asked = (h: TestHive, cmd: string) => h.requests.filter((r) => r.cmd === cmd);

test('on attach the recap since the last look fills the screen, once, and the look is marked; Enter follows a line', async () => {
  const h = liveHive((r) => (r.cmd === 'recap' ? recap(NOW - 3600) : { version: 1, ok: true }));
  const r = mount(h);
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('while you were away'));
  assert.match(frame, /since your last look 1h ago \(alice@box\)/);
  assert.match(frame, /› {2}iris {2}3 turns {2}\$0\.50/);
  assert.match(frame, /✉ #40 {2}iris {2}1m ago {2}done with the docs/);
  await waitFor(() => asked(h, 'mark_seen').length === 1, 3000, 'the look marked');
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('finding #11 in iris'));
  await waitFor(() => h.watched.at(-1)?.join() === 'iris', 3000, "the turn's stream opened");
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (f) => f.includes('while you were away'));
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (f) => f.includes('agents 2'));
  assert.equal(asked(h, 'recap').length, 1, 'once per attach');
});

test('no recap screen for a first look, nor when nothing happened', async () => {
  for (const answer of [recap(null), recap(NOW - 3600, false)]) {
    const h = liveHive((r) => (r.cmd === 'recap' ? answer : { version: 1, ok: true }));
    const r = mount(h);
    await waitFor(() => asked(h, 'mark_seen').length === 1, 3000, 'the look marked');
    assert.doesNotMatch(r.lastFrame() ?? '', /while you were away/);
    assert.match(r.lastFrame() ?? '', /agents 2/);
    cleanup();
  }
});

test(':search draws hits by agent and turn; Enter opens the stream and pages older history in until the turn is held', async () => {
  const search = {
    version: 1,
    ok: true,
    query: 'flaky',
    words: ['flaky'],
    hits: [{ seq: 5, agent: 'iris', kind: 'note', ts_ms: NOW * 1000, source: 'note', snippet: 'the flaky test', turn: 3 }],
    turns: [{ seq: 3, agent: 'iris', ts_ms: NOW * 1000, from: 'operator', body: 'fix the flaky test' }],
    more: false,
    index_behind: 0,
  };
  const h = liveHive((r) => (r.cmd === 'search' ? search : { version: 1, ok: true }));
  const r = mount(h, false);
  await waitForFrame(r.lastFrame, (f) => f.includes('agents 2'));
  r.stdin.write(':');
  r.stdin.write('search flaky');
  r.stdin.write(KEYS.enter);
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('1 hit in 1 turn'));
  assert.match(frame, /search: flaky · 1 hit · Enter goes there/);
  assert.match(frame, /› {2}turn #3 \d+s ago from operator: fix the flaky test/);
  assert.match(frame, / {5}note {8}the flaky test/);
  assert.deepEqual(asked(h, 'search'), [{ cmd: 'search', query: 'flaky', limit: 200 }]);
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.watched.at(-1)?.[0] === 'iris', 3000, 'the stream opened');
  // The pane holds seq 10 on: the turn at seq 3 is older, so history is paged in.
  const events = Array.from({ length: 5 }, (_, i) => ({ kind: 'note', seq: 10 + i, text: `line ${10 + i}` }));
  h.apply(streamLinesAction('iris', events, true));
  await waitFor(() => h.olderLoads.includes('iris'), 3000, 'older history asked for');
});

test('6 shows the traffic with delivery states and who waits on whom', async () => {
  const traffic = {
    version: 1,
    ok: true,
    messages: [{ id: 42, from: 'web', to: 'iris', body: 'looking', sent_at: NOW - 5, broadcast: false, state: 'delivered', delivered_at: NOW - 4 }],
    waiting: [{ agent: 'iris', on: 'web', question_id: 5, question: 'which port?', asked_at: NOW - 30 }],
    more: false,
  };
  const h = liveHive((r) => (r.cmd === 'messages' ? traffic : { version: 1, ok: true }));
  const r = mount(h, false);
  await waitForFrame(r.lastFrame, (f) => f.includes('agents 2'));
  r.stdin.write('6');
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('which port?'));
  assert.match(frame, /traffic: every agent · 1 message, 0 unread · 1 waiting · Enter goes there, f one agent/);
  assert.match(frame, /iris waits on web {2}#5 \d+s ago: which port\?/);
  assert.match(frame, /#42 \d+s ago +web → iris {2}delivered looking/);
  assert.match(frame, /f agent/, 'the footer names the key from the keymap');
});

test(':search pages back: the cursor at the end asks for older hits, "loading older hits…" meanwhile, then they are appended and counted in the title', async () => {
  const page = (from: number, count: number, more: boolean) => ({
    version: 1,
    ok: true,
    query: 'flaky',
    words: ['flaky'],
    hits: Array.from({ length: count }, (_, i) => ({ seq: from - i, agent: 'iris', kind: 'note', ts_ms: NOW * 1000, source: 'note', snippet: `flaky number ${from - i}`, turn: 1 })),
    turns: [{ seq: 1, agent: 'iris', ts_ms: NOW * 1000, from: 'operator', body: 'the long turn' }],
    more,
    index_behind: 0,
  });
  const h = liveHive((r) => (r.cmd === 'search' ? page(1000, 200, true) : { version: 1, ok: true }));
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const answerOf = h.request.bind(h);
  // The older page waits until the test has seen the loading row.
  h.request = async (r: HostRequest) => (r.cmd === 'search' && r.before !== undefined ? (h.requests.push(r), await held, { ok: true, response: page(800, 100, false) }) : answerOf(r));
  const r = mount(h, false);
  await waitForFrame(r.lastFrame, (f) => f.includes('agents 2'));
  r.stdin.write(':');
  r.stdin.write('search flaky');
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('200 hits, more older'));
  r.stdin.write('G');
  let frame = await waitForFrame(r.lastFrame, (f) => f.includes('loading older hits…'));
  assert.match(frame, /› {4}note {8}flaky number 1000/, 'the last row of the first page, in stream order');
  assert.deepEqual(asked(h, 'search').at(-1), { cmd: 'search', query: 'flaky', before: 801, limit: 200 });
  release();
  frame = await waitForFrame(r.lastFrame, (f) => f.includes('300 hits ·'));
  assert.match(frame, /search: flaky · 300 hits · Enter goes there/, 'nothing older: the title says no more');
  r.stdin.write(KEYS.down);
  r.stdin.write(KEYS.down);
  frame = await waitForFrame(r.lastFrame, (f) => /› {4}note {8}flaky number 701/.test(f));
  assert.match(frame, /older hits \(100 hits\)/);
  assert.equal(asked(h, 'search').length, 2, 'the older page asked once');
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('finding #701 in iris'));
});
