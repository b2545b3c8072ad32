import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import { App } from './App.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, approval, approvalAdded, operatorMessage, question, snapshot, turnStat } from './testing/fixtures.js';
import type { HiveAction } from './client/hive-state.js';
import { streamLinesAction } from './client/stream-lines.js';

afterEach(() => cleanup());

function liveHive(extra: Parameters<typeof snapshot>[0] = {}, readOnly = false): TestHive {
  const h = new TestHive(readOnly);
  h.apply({ type: 'snapshot', snapshot: snapshot(extra) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}

function mount(h: TestHive, opts: { columns?: number; rows?: number; noColor?: boolean; bell?: boolean } = {}) {
  return render(<App hive={h} theme={opts.noColor ? noColorTheme : colorTheme} bell={opts.bell ?? false} size={{ columns: opts.columns ?? 100, rows: opts.rows ?? 24 }} />);
}

test('the roster shows state by glyph and word, grouped by parent, and the header shows live', async () => {
  const h = liveHive({
    agents: [
      agentRow('manager'),
      agentRow('iris', { parent: 'manager', paused: true, unread: 3, status_text: 'reading docs', status_set_at: new Date().toISOString() }),
      agentRow('zed', { failed: true, needs_update: true }),
    ],
    transients: { manager: { kind: 'rebuilding', since: Date.now() / 1000 } },
  });
  const r = mount(h, { columns: 120 });
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('zed'));
  assert.match(frame, /● live/);
  assert.match(frame, /● running\s+manager\s+\S rebuilding/);
  assert.match(frame, /‖ paused\s+└ iris\s+idle\s+3\s/, 'iris has 3 messages waiting in its own inbox');
  assert.match(frame, /reading docs \(\d+s\)/);
  assert.match(frame, /✗ failed\s+zed.*⬆ update/);
  const lines = frame.split('\n');
  assert.ok(lines.findIndex((l) => l.includes('manager')) < lines.findIndex((l) => l.includes('iris')));
});

test('the roster ends with the kept agents: newest first, when destroyed, on which commit; a short terminal shows fewer', async () => {
  const h = liveHive({ agents: [agentRow('manager')] });
  const now = Math.floor(Date.now() / 1000);
  h.apply({ type: 'kept', agents: [{ name: 'old', destroyed_at: now - 7200 }, { name: 'scout', destroyed_at: now - 120, deployed_sha: '3f9c2ab41d0e' }, { name: 'third', destroyed_at: now - 3600 }] });
  const r = mount(h, { columns: 140, rows: 30 });
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('kept 3'));
  assert.match(frame, /kept 3 · destroyed, state kept · on a row: Enter details, r revive, x purge\n {3}◌ scout {2}destroyed 2m\d*s? ago · on 3f9c2ab41d0e\n {3}◌ third {2}destroyed 1h\d*m? ago\n {3}◌ old/);
  cleanup();
  const short = mount(h, { columns: 140, rows: 16 });
  const cut = await waitForFrame(short.lastFrame, (f) => f.includes('kept 3'));
  assert.match(cut, /◌ scout/);
  assert.match(cut, /… 2 more\n/);
  assert.doesNotMatch(cut, /◌ third|◌ old/);
});

test('approve from the attention queue: confirm line, y sends, result shown', async () => {
  const h = liveHive({ approvals: [approval(7, { description: 'spawn worker' })] });
  const r = mount(h);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
  r.stdin.write('a');
  await waitForFrame(r.lastFrame, (f) => f.includes('approve #7? [y/N]'));
  r.stdin.write('y');
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'approve', id: 7 }]);
  await waitForFrame(r.lastFrame, (f) => f.includes('✓ approve #7'));
});

test('deny with a note through the visible input', async () => {
  const h = liveHive({ approvals: [approval(7)] });
  const r = mount(h);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
  r.stdin.write('d');
  await waitForFrame(r.lastFrame, (f) => f.includes('deny #7 — note (optional): [▏]'));
  r.stdin.write('not now');
  await waitForFrame(r.lastFrame, (f) => f.includes('[not now▏]'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'deny', id: 7, note: 'not now' }]);
});

test('a failed request shows the core\'s sentence', async () => {
  const h = liveHive({ approvals: [approval(7)] });
  h.answer = () => ({ ok: false, error: 'approval 7 is already approved' });
  const r = mount(h);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
  r.stdin.write('a');
  await waitForFrame(r.lastFrame, (f) => f.includes('[y/N]'));
  r.stdin.write('y');
  await waitForFrame(r.lastFrame, (f) => f.includes('✗ approve #7 failed: approval 7 is already approved'));
});

test('answer a question with an option from the form', async () => {
  const h = liveHive({ questions: [question(4, { deadline_at: Math.floor(Date.now() / 1000) + 300 })] });
  const r = mount(h);
  r.stdin.write('2');
  const q = await waitForFrame(r.lastFrame, (f) => f.includes('question #4'));
  assert.match(q, /expires in \d+m\d+s, then answered \[expired\]/);
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('answer question #4 from iris') && f.includes('2. ( ) postgres'));
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('› 2. (•) postgres'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'answer', id: 4, answer: 'postgres' }]);
});

test('the stream view renders a claude session and opens the agent stream', async () => {
  const h = liveHive();
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('iris'));
  r.stdin.write('j');
  await waitForFrame(r.lastFrame, (f) => /› .*iris/.test(f));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.watched.some((w) => w.includes('iris')), 2000, 'iris stream watched');
  h.apply(
    streamLinesAction('iris', [
      { kind: 'turn_start', seq: 1, from: 'operator', body: 'check the build', unread: 0 },
      { kind: 'stream', seq: 2, data: { type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'let me look' }, { type: 'text', text: 'Running tests.' }, { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } }] } } },
      { kind: 'stream', seq: 3, data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] } } },
      { kind: 'stream', seq: 4, data: { type: 'result', subtype: 'success', is_error: false, total_cost_usd: 0.01, duration_ms: 3000, num_turns: 2, usage: { input_tokens: 10, output_tokens: 5 } } },
      { kind: 'turn_end', seq: 5, ok: true },
    ], true),
  );
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('turn end'));
  assert.match(f, /iris ⇣ following/);
  assert.match(f, /── turn · woken by operator: check the build/);
  assert.match(f, /let me look\n.*Running tests\.\n.*\$ npm test ✓/);
  assert.match(f, /■ done · in 10 out 5 cache 0 · \$0\.0100 · 3\.0s · 2 turns/);
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (fr) => fr.includes('STATE'));
  await waitFor(() => h.watched.at(-1)?.length === 0, 2000, 'stream closed after leaving');
});

test('stats view lists turns newest first with per-agent totals', async () => {
  const h = liveHive();
  h.apply({ type: 'turn_stats', rows: [turnStat(1), turnStat(2, { agent: 'manager', result_kind: 'failed' })] });
  const r = mount(h, { columns: 120, rows: 30 });
  r.stdin.write('3');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('TURNS'));
  assert.match(f, /turns 2 · sort: time ▼/);
  assert.match(f, /agent: all \(f\)/);
  const rows = f.split('\n').filter((l) => /\d\d:\d\d:\d\d/.test(l));
  assert.match(rows[0]!, /iris/);
  assert.match(rows[1]!, /manager.*failed/);
  r.stdin.write('f');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('agent: iris (f)'));
});

test('help is generated from the keymap for the view it was opened from', async () => {
  const h = liveHive();
  const r = mount(h, { rows: 46 });
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('nothing needs you:'));
  r.stdin.write('?');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('in attention'));
  assert.match(f, /a\s+approve, or every marked approval \(confirm with y\)/);
  assert.match(f, /Esc\s+clear the search, filter or marks first; then back \(never/);
});

test('read-only shows a badge and hides mutations', async () => {
  const h = liveHive({ approvals: [approval(7)] }, true);
  const r = mount(h);
  r.stdin.write('2');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('approval #7'));
  assert.match(f, /\[READ-ONLY\]/);
  assert.doesNotMatch(f.split('\n').at(-1)!, /approve/);
  r.stdin.write('a');
  r.stdin.write('y');
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(h.requests, []);
});

test('while not live, data stays visible marked stale and actions are disabled with a reason', async () => {
  const h = liveHive({ approvals: [approval(7)] });
  h.apply({ type: 'connection', info: { phase: 'reconnecting', attempt: 2, nextTryAt: Date.now() + 2000, reason: 'the core closed the connection' } });
  const r = mount(h);
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('reconnecting'));
  assert.match(f, /◌ reconnecting \(attempt 2, next try in \ds\) · data stale since \d\d:\d\d:\d\d/);
  assert.match(f, /iris/);
  assert.match(f, /actions disabled: not connected \(reconnecting\)/);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('approval #7'));
  r.stdin.write('a');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('actions are disabled'));
  assert.deepEqual(h.requests, []);
});

test('a new approval rings the bell once; --no-bell stays silent', async () => {
  for (const bell of [true, false]) {
    const h = liveHive();
    const r = mount(h, { bell });
    await waitForFrame(r.lastFrame, (f) => f.includes('iris'));
    const bells = () => r.stdout.frames.join('').split('\u0007').length - 1;
    // The bell is a write of its own: the frame is the last write that is not the bell.
    const lastFrame = () => r.stdout.frames.filter((f) => f !== '\u0007').at(-1);
    assert.equal(bells(), 0, 'nothing rings at start');
    h.apply({ type: 'dashboard', event: approvalAdded(11, 1) });
    await waitForFrame(lastFrame, (f) => f.includes('⚑1 need you'));
    if (bell) await waitFor(() => bells() === 1, 2000, 'one bell');
    h.apply({ type: 'dashboard', event: { kind: 'agent_status', seq: 12, at: 0, row: agentRow('iris', { unread: 1 }) } });
    await waitForFrame(lastFrame, (f) => /iris\s+idle\s+1\s/.test(f));
    assert.equal(bells(), bell ? 1 : 0);
    cleanup();
  }
});

test('wide terminals tile the marked streams side by side', async () => {
  const h = liveHive();
  const r = mount(h, { columns: 200, rows: 30 });
  await waitForFrame(r.lastFrame, (f) => f.includes('iris'));
  r.stdin.write('t');
  await waitForFrame(r.lastFrame, (f) => f.includes('tiled: manager'));
  r.stdin.write('j');
  await waitForFrame(r.lastFrame, (f) => /› .*iris/.test(f));
  r.stdin.write('t');
  await waitForFrame(r.lastFrame, (f) => f.includes('tiled: manager, iris'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.watched.some((w) => w.length === 2), 2000, 'two streams watched');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('manager') && fr.includes('iris') && fr.includes('following'));
  const title = f.split('\n')[1]!;
  assert.match(title, /▶ iris .*following.* manager .*following/, 'both pane titles on one row, the opened agent focused');
});

test('an operator message can be marked read', async () => {
  const h = liveHive({ operator_inbox: [operatorMessage(9, { body: 'all done' })] });
  const r = mount(h);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => /›  ✉ message #9/.test(f) && f.includes('all done'));
  r.stdin.write('r');
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'mark_read', ids: [9] }]);
});

// ---------------------------------------------------------------- hostile strings, colour, size

const HOSTILE =
  'X\u001b[2J\u001b[H\u001b[5;5H\u001b[?1049h' + // clear screen, cursor moves, alt screen
  '\u001b]0;owned title\u0007' + // OSC 0 title
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007' + // OSC 8 link
  '\u001b]52;c;cGF5bG9hZA==\u0007' + // OSC 52 clipboard
  '\u001bPq#0;2;0;0;0\u001b\\' + // DCS (sixel)
  '\u009b6n\u0085\u009d0;x\u009c' + // C1 CSI, NEL, C1 OSC
  '\u202eevil\u202c\u2066iso\u2069Y';

function hostileActions(): HiveAction[] {
  return [
    {
      type: 'snapshot',
      snapshot: snapshot({
        agents: [agentRow('iris', { status_text: HOSTILE, active_model: HOSTILE, parent: HOSTILE }), agentRow('bad', { status_text: HOSTILE })],
        approvals: [approval(7, { description: HOSTILE, commit_ref: HOSTILE, agent: HOSTILE })],
        questions: [question(4, { question: HOSTILE, options: [HOSTILE, 'b'], asker: HOSTILE })],
        operator_inbox: [operatorMessage(9, { body: HOSTILE, from: HOSTILE })],
        transients: {},
      }),
    },
    { type: 'connection', info: { phase: 'live' } },
    { type: 'turn_stats', rows: [turnStat(1, { agent: HOSTILE, model: HOSTILE })] },
    { type: 'approval_detail', approval: approval(7, { description: HOSTILE, diff: `diff --git a/x b/x\n+${HOSTILE}\n-${HOSTILE}\n` }) },
  ];
}

const streamEvents = [
  { kind: 'turn_start', seq: 1, from: HOSTILE, body: HOSTILE, unread: 0 },
  { kind: 'stream', seq: 2, data: { type: 'assistant', message: { content: [{ type: 'text', text: HOSTILE }, { type: 'thinking', thinking: HOSTILE }, { type: 'tool_use', id: 't', name: 'Bash', input: { command: HOSTILE } }] } } },
  { kind: 'stream', seq: 3, data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't', is_error: true, content: HOSTILE }] } } },
  { kind: 'note', seq: 4, text: HOSTILE },
  { kind: 'status_changed', seq: 5, status: HOSTILE },
  { kind: 'turn_end', seq: 6, ok: false, note: HOSTILE },
];

/** Only SGR (colour/style) escapes may appear; nothing from the payload may survive. */
function assertClean(raw: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  const nonSgr = raw.match(/\u001b(?!\[[0-9;]*m)|[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u0007]/g);
  assert.equal(nonSgr, null, `${where}: unsafe sequence ${JSON.stringify(nonSgr)} in frame`);
  assert.doesNotMatch(raw, /owned title|evil\.example|cGF5bG9hZA/, `${where}: escape payload leaked`);
}

test('hostile agent strings are neutralised in every view', async () => {
  const h = new TestHive();
  h.apply(...hostileActions());
  const r = mount(h, { columns: 200, rows: 40 });
  const check = async (what: string, ready: (f: string) => boolean) => {
    await waitForFrame(r.lastFrame, ready);
    for (const frame of r.frames.slice(-3)) assertClean(frame, what);
  };
  await check('agents', (f) => f.includes('bad'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.watched.some((w) => w.length > 0));
  h.apply(streamLinesAction(h.watched.at(-1)![0]!, streamEvents, true));
  await check('stream', (f) => f.includes('turn end'));
  r.stdin.write('2');
  await check('attention', (f) => /›  ⚑ approval #7/.test(f));
  r.stdin.write(KEYS.enter);
  await check('approval detail', (f) => f.includes('diff 1–3 of 3'));
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (f) => f.includes('attention 3'));
  r.stdin.write('j');
  await waitForFrame(r.lastFrame, (f) => /›  \? question #4/.test(f));
  r.stdin.write(KEYS.enter);
  await check('answer form', (f) => f.includes('answer question #4'));
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (f) => !f.includes('answer question #4'));
  r.stdin.write('G');
  await check('attention message', (f) => /›  ✉ message #9/.test(f));
  r.stdin.write('4');
  await check('inbox', (f) => /#9 from /.test(f));
  r.stdin.write('3');
  await check('stats', (f) => f.includes('TURNS'));
  r.stdin.write('?');
  await check('help', (f) => f.includes('in stats'));
});

test('NO_COLOR: no escape sequences at all, state readable from glyphs and words', async () => {
  const h = liveHive({ agents: [agentRow('iris', { failed: true }), agentRow('zed', { paused: true })], approvals: [approval(7)] });
  const r = mount(h, { noColor: true });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('zed'));
  assert.match(f, /✗ failed\s+iris/);
  assert.match(f, /‖ paused\s+zed/);
  assert.match(f, /› /, 'the selection is marked by a glyph, not only by colour');
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('approval #7'));
  for (const frame of r.frames) assert.ok(!frame.includes('\u001b'), `escape in no-colour frame: ${JSON.stringify(frame.slice(0, 200))}`);
});

test('80×24: the frame fills the terminal and stays within it; narrow gets one pane', async () => {
  const h = liveHive({ agents: Array.from({ length: 60 }, (_, i) => agentRow(`agent-${String(i).padStart(2, '0')}`, { status_text: 'x'.repeat(200) })) });
  const r = mount(h, { columns: 80, rows: 24 });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('agent-00'));
  const lines = f.split('\n');
  assert.ok(lines.length <= 24, `frame has ${lines.length} rows`);
  for (const l of lines) assert.ok([...l].length <= 80, `row wider than 80: ${l}`);
  r.stdin.write('G');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('› ') && fr.includes('agent-59'));
  assert.ok(stripAnsi(r.lastFrame()!).split('\n').length <= 24);
});

// ---------------------------------------------------------------- footer and hints follow the context

const footerOf = (frame: string) => frame.split('\n').at(-1)!;

test('the footer follows the selected item: no approve on a question, on an empty queue, or in the answer form', async () => {
  const h = liveHive({ approvals: [approval(7)], questions: [question(4, { deadline_at: Math.floor(Date.now() / 1000) + 60 })] });
  const r = mount(h, { columns: 140 });
  r.stdin.write('2');
  // The question's deadline is sooner, so it is first in the queue.
  const onQuestion = await waitForFrame(r.lastFrame, (f) => /›  \? question #4/.test(f));
  assert.doesNotMatch(footerOf(onQuestion), /a approve/);
  assert.match(footerOf(onQuestion), /Enter answer\s+x cancel question/);
  assert.match(onQuestion, /Enter answer · x cancel question/, 'the in-view hint under the question');
  r.stdin.write('j');
  const onApproval = await waitForFrame(r.lastFrame, (f) => /›  ⚑ approval #7/.test(f));
  assert.match(footerOf(onApproval), /Enter diff\s+a approve\s+d deny/);
  assert.match(onApproval, /Enter diff · a approve · d deny/);
  r.stdin.write('k');
  await waitForFrame(r.lastFrame, (f) => /›  \? question #4/.test(f));
  r.stdin.write(KEYS.enter);
  const form = await waitForFrame(r.lastFrame, (f) => f.includes('answer question #4 from iris'));
  assert.doesNotMatch(footerOf(form), /approve/);
  assert.match(footerOf(form), /1–9 pick.*Enter send\s+Esc cancel/);
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (f) => !f.includes('answer question #4 from iris'));
  cleanup();

  const empty = mount(liveHive());
  empty.stdin.write('2');
  const f = await waitForFrame(empty.lastFrame, (fr) => fr.includes('nothing needs you'));
  assert.doesNotMatch(footerOf(f), /approve|deny|answer/);
});

test('read-only never offers cancel question, in the footer or beside the question', async () => {
  const h = liveHive({ questions: [question(4)] }, true);
  const r = mount(h, { columns: 140 });
  r.stdin.write('2');
  const f = await waitForFrame(r.lastFrame, (fr) => /›  \? question #4/.test(fr));
  assert.doesNotMatch(f, /cancel question/);
  assert.doesNotMatch(footerOf(f), /answer/);
  r.stdin.write('x');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('read-only: actions are hidden'));
  assert.deepEqual(h.requests, []);
});

test('a confirm line shows its own keys in the footer', async () => {
  const h = liveHive({ approvals: [approval(7)] });
  const r = mount(h);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
  r.stdin.write('a');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('approve #7? [y/N]'));
  assert.match(footerOf(f), /^y confirm\s+any other key cancels/);
});
