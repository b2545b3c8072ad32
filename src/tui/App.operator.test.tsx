// The console as an operator uses it (ink-testing-library): the roster as the attention surface, stale rows, the header, panes, copy and pager, the : line, every view at 80×24.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render, cleanup } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import chalk from 'chalk';
import { App } from './App.js';
import type { TerminalControl } from './hive-source.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, approval, operatorMessage, question, snapshot, turnStat } from './testing/fixtures.js';
import { streamLinesAction } from './client/stream-lines.js';

afterEach(() => cleanup());

const NOW = Math.floor(Date.now() / 1000);
const HIVE = { name: 'night-shift', version: '0.1.0', started_at: NOW - 3 * 3600, models: ['fable', 'opus', 'sonnet', 'haiku', 'claude-*'] };

function liveHive(extra: Parameters<typeof snapshot>[0] = {}, readOnly = false): TestHive {
  const h = new TestHive(readOnly);
  h.apply({ type: 'snapshot', snapshot: snapshot({ hive: HIVE, today: { since: NOW - 3600, turns: 3, cost_usd: 1.27 }, ...extra }) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}

function mount(h: TestHive, opts: { columns?: number; rows?: number; color?: boolean; terminal?: TerminalControl; copy?: (s: string) => void; env?: NodeJS.ProcessEnv } = {}) {
  return render(
    <App hive={h} theme={opts.color ? colorTheme : noColorTheme} bell={false} size={{ columns: opts.columns ?? 100, rows: opts.rows ?? 24 }} terminal={opts.terminal} copyToClipboard={opts.copy} env={opts.env ?? {}} />,
  );
}

const rowOf = (frame: string, name: string) => frame.split('\n').find((l) => new RegExp(`\\b${name}\\b`).test(l) && /running|failed|paused|stopped|login/.test(l)) ?? '';

test('the roster shows what each agent needs from you, glyph and word, needs-you first; s sorts by name', async () => {
  const h = liveHive({
    agents: [
      agentRow('manager'),
      agentRow('iris', { parent: 'manager' }),
      agentRow('broken', { running: false, failed: true }),
      agentRow('keyless', { needs_login: true }),
      agentRow('stuck', { turn_state: 'thinking', stalled: true }),
      agentRow('quiet'),
    ],
    approvals: [approval(3, { requested_by: 'manager', agent: 'scout' }), approval(4, { requested_by: 'manager', agent: 'alpha' })],
    questions: [question(7, { asker: 'iris', deadline_at: NOW + 4 * 60 + 30 })],
    operator_inbox: [operatorMessage(9, { from: 'quiet' }), operatorMessage(10, { from: 'quiet' }), operatorMessage(11, { from: 'quiet' })],
  });
  const r = mount(h, { columns: 120 });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('stuck'));
  assert.match(rowOf(f, 'iris'), /● running\s+iris\s+\?1 4m/);
  assert.match(rowOf(f, 'manager'), /● running\s+manager\s+⚑2/);
  assert.match(rowOf(f, 'quiet'), /quiet\s+✉3/);
  assert.match(rowOf(f, 'broken'), /✗ failed\s+broken/);
  assert.match(rowOf(f, 'keyless'), /🔑 login\s+keyless/);
  assert.match(rowOf(f, 'stuck'), /stuck\s+⚠ stalled/);
  assert.match(f, /sort: needs you first \(s\)/);
  const order = ['iris', 'manager', 'broken', 'keyless', 'stuck', 'quiet'].map((n) => f.indexOf(rowOf(f, n)));
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'question deadline, approvals, failed/login/stalled, then messages');
  r.stdin.write('s');
  const byName = await waitForFrame(r.lastFrame, (fr) => fr.includes('sort: by name'));
  assert.match(byName, /manager[^\n]*\n[^\n]*└ iris/, 'by name the tree is back');
});

test('an agent failed by the core reads ✗ failed even with a running flag; state follows the precedence', async () => {
  const h = liveHive({ agents: [agentRow('zed', { running: true, failed: true, paused: true, last_turn: { ended_at: NOW, duration_ms: 5, result_kind: 'failed' } }), agentRow('pia', { paused: true, needs_login: true })] });
  const r = mount(h, { columns: 120 });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('pia'));
  assert.match(rowOf(f, 'zed'), /^...✗ failed\s+zed/);
  assert.doesNotMatch(rowOf(f, 'zed'), /running/);
  assert.match(rowOf(f, 'pia'), /🔑 login\s+pia/);
});

test('while not live, rows are dimmed and marked stale, and their timers stand still at the moment the link dropped', async () => {
  const since = NOW - 600;
  const h = liveHive({ agents: [agentRow('iris', { turn_state: 'thinking', turn_state_since: since })] });
  h.apply({ type: 'connection', info: { phase: 'reconnecting', attempt: 1, nextTryAt: Date.now() + 5000, staleSince: (since + 42) * 1000, reason: 'the core closed the connection' } });
  chalk.level = 1; // the test runner is no terminal: colour as on a 16-colour one
  const r = mount(h, { columns: 120, color: true });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('stale'));
  const row = rowOf(f, 'iris');
  assert.match(row, /● running stale\s+iris\s+thinking 42s/, 'the timer shows the last known value');
  assert.match(f, /stale: last known state/);
  const raw = r.lastFrame()!.split('\n').find((l) => stripAnsi(l).includes('iris') && stripAnsi(l).includes('stale'))!;
  assert.match(raw, /\u001b\[2m/, 'the row is dimmed');
  assert.match(f, /the core closed the connection/, 'the reason is shown on a row of its own');
  assert.match(f, /next try in [1-5]s/, 'the countdown to the next try runs on the wall clock');
});

test('the header carries the hive, version, uptime, counts, today\'s cost, what needs you and the connection; at 80 columns it still fits', async () => {
  const h = liveHive({ agents: [agentRow('manager'), agentRow('iris', { turn_state: 'thinking' }), agentRow('zed', { running: false })], approvals: [approval(3)] });
  const wide = mount(h, { columns: 160 });
  const f = await waitForFrame(wide.lastFrame, (fr) => fr.includes('night-shift'));
  assert.equal(f.split('\n')[0], 'hyperhive night-shift 0.1.0 up 3h · ● live · ⚑1 need you · 2/3 agents running · 1 turn running · today $1.27');
  cleanup();
  const narrow = mount(h, { columns: 80 });
  const top = (await waitForFrame(narrow.lastFrame, (fr) => fr.includes('● live'))).split('\n')[0]!;
  assert.ok(top.length <= 80, top);
  assert.match(top, /● live · ⚑1 need you · 2\/3 agents running/);
});

test('the "no hive" sentence is wrapped onto rows of its own, never cut', async () => {
  const h = new TestHive(false, '/home/operator/.local/state/runtime/hyperhive/host.sock');
  const reason = 'no hive at /home/operator/.local/state/runtime/hyperhive/host.sock — is hyperhive-core running?';
  h.apply({ type: 'connection', info: { phase: 'unreachable', attempt: 1, nextTryAt: Date.now() + 3000, reason } });
  const r = mount(h, { columns: 60 });
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('unreachable'));
  const words = f.split('\n').slice(1, 4).join(' ').replace(/\s+/g, ' ').trim();
  assert.equal(words, reason);
});

test('three tiled agents at 120 columns: two panes and "+1 more"; Tab brings the third into view', async () => {
  const h = liveHive({ agents: [agentRow('alpha'), agentRow('beta'), agentRow('gamma')] });
  const r = mount(h, { columns: 120, rows: 20 });
  await waitForFrame(r.lastFrame, (f) => f.includes('gamma'));
  r.stdin.write('s'); // by name: alpha, beta, gamma
  await waitForFrame(r.lastFrame, (f) => f.includes('sort: by name'));
  for (const k of ['t', 'j', 't', 'j', 't', 'g']) r.stdin.write(k);
  await waitForFrame(r.lastFrame, (f) => /›  ● running alpha ▣[\s\S]*beta ▣[\s\S]*gamma ▣/.test(f));
  r.stdin.write(KEYS.enter);
  const two = await waitForFrame(r.lastFrame, (f) => /▶ alpha .*beta .*\+1 more ▶/.test(f.split('\n')[1]!));
  assert.doesNotMatch(two.split('\n')[1]!, /gamma/);
  await waitFor(() => h.watched.at(-1)?.join() === 'alpha,beta', 2000, 'the shown panes watched');
  r.stdin.write(KEYS.tab);
  r.stdin.write(KEYS.tab);
  const third = await waitForFrame(r.lastFrame, (f) => /◀ \+1 more .*beta .*▶ gamma/.test(f.split('\n')[1]!));
  assert.doesNotMatch(third.split('\n')[1]!, /alpha/);
  await waitFor(() => h.watched.at(-1)?.join() === 'beta,gamma', 2000, 'the newly shown pane watched');
});

test('a question shows the asking agent\'s last stream lines beside it', async () => {
  const h = liveHive({ questions: [question(7, { asker: 'iris' })] });
  const r = mount(h, { columns: 120, rows: 30 });
  r.stdin.write('2');
  await waitFor(() => h.watched.some((w) => w.includes('iris')), 2000, 'the asker\'s stream opened');
  h.apply(streamLinesAction('iris', [{ kind: 'turn_start', seq: 1, from: 'operator', body: 'pick a database', unread: 0 }, { kind: 'note', seq: 2, text: 'comparing sqlite and postgres' }], true));
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('comparing sqlite'));
  assert.match(f, /│ iris, last lines:/);
  assert.match(f, /iris asks: Which database\?\s+│ iris, last lines:\n\s+1\. sqlite\s+│ ── turn · woken by operator: pick a database/, 'beside the question');
});

test('y copies with OSC 52 and says what may stop it inside tmux; o opens $PAGER through the terminal and the console stays', async () => {
  const copies: string[] = [];
  const lent: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-pager-'));
  const out = path.join(dir, 'paged.txt');
  const terminal: TerminalControl = {
    async runOutside(run) {
      lent.push('out');
      try {
        return await run();
      } finally {
        lent.push('back');
      }
    },
  };
  const h = liveHive({ operator_inbox: [operatorMessage(9, { body: 'deploy done\nsee #12' })] });
  const r = mount(h, { terminal, copy: (s) => copies.push(s), env: { PAGER: `cat > ${out}`, TMUX: '/tmp/tmux-0/default,1,0' } });
  r.stdin.write('4');
  await waitForFrame(r.lastFrame, (f) => f.includes('#9 from iris'));
  r.stdin.write('y');
  await waitFor(() => copies.length === 1, 2000, 'a copy');
  assert.equal(copies[0], `\u001b]52;c;${Buffer.from('deploy done\nsee #12').toString('base64')}\u0007`);
  await waitForFrame(r.lastFrame, (f) => /copied message #9 \(19 chars\) with OSC 52/.test(f));
  assert.match(stripAnsi(r.lastFrame()!), /tmux/, 'inside tmux it says what tmux needs');
  r.stdin.write('o');
  await waitFor(() => lent.join() === 'out,back', 3000, 'the terminal lent and taken back');
  assert.equal(fs.readFileSync(out, 'utf8'), 'deploy done\nsee #12');
  await waitForFrame(r.lastFrame, (f) => f.includes('#9 from iris'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the : line in the console: :approve 3 asks, y sends; an unknown word gets a suggestion', async () => {
  const h = liveHive({ approvals: [approval(3), approval(4)] });
  const r = mount(h);
  for (const k of ':approve 3') r.stdin.write(k);
  await waitForFrame(r.lastFrame, (f) => f.includes(': [approve 3▏]'));
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('approve #3? [y/N]'));
  r.stdin.write('y');
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'approve', id: 3 }]);
  for (const k of ':stast') r.stdin.write(k);
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('unknown command ":stast" — did you mean :stats?'));
});

test('/ filters the roster as it is typed, the filter shows in the title, Esc clears it', async () => {
  const h = liveHive({ agents: [agentRow('manager'), agentRow('iris'), agentRow('zed')] });
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('zed'));
  for (const k of '/ze') r.stdin.write(k);
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('agents 1 of 3'));
  assert.match(f, /filter \/ze \(Esc clears\)/);
  assert.doesNotMatch(f, /manager|iris/);
  r.stdin.write(KEYS.enter);
  r.stdin.write(KEYS.escape);
  await waitForFrame(r.lastFrame, (fr) => fr.includes('agents 3 ·') && fr.includes('iris'));
});

test('M shows the hive\'s models with the current one marked', async () => {
  const h = liveHive({ agents: [agentRow('iris', { active_model: 'sonnet' })] });
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('iris'));
  r.stdin.write('M');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('model for iris'));
  assert.match(f, /› 3\. \(•\) sonnet\s+\(current\)/);
  assert.match(f, /1\. \( \) fable/);
  assert.match(f, /e types a name: claude-…/);
});

test('at 80×24 every view fits and shows its rows, title and keys; help scrolls with a "more" marker', async () => {
  const h = liveHive({
    agents: Array.from({ length: 30 }, (_, i) => agentRow(`agent-${String(i).padStart(2, '0')}`, { status_text: 'working on something long '.repeat(5), active_model: 'claude-sonnet-4-5' })),
    approvals: [approval(3, { description: 'spawn a researcher to chase the flaky test '.repeat(3) })],
    questions: [question(7, { deadline_at: NOW + 830 })],
    operator_inbox: [operatorMessage(9, { body: 'a long report '.repeat(20) })],
  });
  h.apply({ type: 'turn_stats', rows: Array.from({ length: 40 }, (_, i) => turnStat(i + 1, { model: 'claude-sonnet-4-5' })) });
  h.apply({ type: 'approval_detail', approval: approval(3, { diff: Array.from({ length: 60 }, (_, i) => `+line ${i}`).join('\n') }) });
  const r = mount(h, { columns: 80, rows: 24 });
  const fits = (f: string, what: string) => {
    const rows = f.split('\n');
    assert.ok(rows.length <= 24, `${what}: ${rows.length} rows`);
    for (const l of rows) assert.ok([...l].length <= 80, `${what}: row wider than 80: ${l}`);
    assert.match(rows.at(-1)!, /\? help$/, `${what}: the footer ends with help`);
  };
  const views: [string, string, (f: string) => boolean][] = [
    ['roster', '', (f) => /agent-00\s+idle\s+-\s+working/.test(f)],
    ['attention', '2', (f) => /expires in 13m\d\ds, then answered \[expired\]/.test(f) && f.includes('⚑ approval #3')],
    ['approval', '\r', (f) => f.includes('diff 1–')],
    ['inbox', '4', (f) => f.includes('#9 from iris')],
    ['stats', '3', (f) => /turns 40/.test(f) && f.includes('COST')],
    ['help', '?', (f) => f.includes('↓') && f.includes('more below')],
  ];
  for (const [what, key, ready] of views) {
    if (what === 'approval') {
      r.stdin.write('g');
      await waitForFrame(r.lastFrame, (f) => /›  \? question #7/.test(f));
      r.stdin.write('j');
      await waitForFrame(r.lastFrame, (f) => /›  ⚑ approval #3/.test(f));
    }
    if (key) r.stdin.write(key);
    fits(await waitForFrame(r.lastFrame, ready), what);
  }
  r.stdin.write('G');
  const end = await waitForFrame(r.lastFrame, (f) => f.includes('more above'));
  fits(end, 'help at its end');
  assert.doesNotMatch(end, /more below/);
});
